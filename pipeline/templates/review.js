(function () {
  function offset(node, within) {
    var el = node.nodeType === 3 ? node.parentElement : node;
    var run = el && el.closest('[data-o]');
    if (!run) { return null; }
    return parseInt(run.getAttribute('data-o'), 10) + (node.nodeType === 3 ? within : 0);
  }
  function update() {
    var sel = window.getSelection();
    var ok = false, start = null, end = null;
    if (sel && sel.rangeCount && !sel.isCollapsed) {
      var r = sel.getRangeAt(0);
      var text = document.getElementById('doc-text');
      if (text.contains(r.startContainer) && text.contains(r.endContainer)) {
        start = offset(r.startContainer, r.startOffset);
        end = offset(r.endContainer, r.endOffset);
        ok = start !== null && end !== null && end > start;
      }
    }
    document.querySelectorAll('form').forEach(function (form) {
      var s = form.querySelector('.sel-start'), e = form.querySelector('.sel-end');
      var b = form.querySelector('.needs-selection');
      if (!s || !e || !b) { return; }
      s.value = ok ? start : ''; e.value = ok ? end : ''; b.disabled = !ok;
    });
  }
  document.addEventListener('selectionchange', update);
  document.addEventListener('mouseup', update);
  document.addEventListener('keyup', update);
})();
