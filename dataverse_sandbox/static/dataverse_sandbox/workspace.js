// Reload every few seconds so customer messages appear, unless the rep is writing.
setInterval(function () {
  var box = document.querySelector("textarea");
  if (!box || (box.value === "" && document.activeElement !== box)) { location.reload(); }
}, 5000);
