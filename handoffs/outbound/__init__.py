"""The one door out: every outbound HTTP request and the policy on where it may go.

`http` owns `requests` (timeouts, pooled sessions, one exception type, no secret in any error);
`policy` decides which hosts a tenant may make the service call (Dynamics, Entra ID, callbacks).
"""
