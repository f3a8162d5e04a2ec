// While a job runs, its page reads itself again every two seconds and replaces the status region (which is
// announced politely to screen readers); it stops once the job is done or failed. Without JavaScript the page
// offers a link that does the same.
(function () {
  'use strict';
  var INTERVAL_MS = 2000;
  function region(doc) {
    return doc.getElementById('auftrag-stand');
  }
  function finished(element) {
    var state = element && element.getAttribute('data-state');
    return state === 'done' || state === 'failed';
  }
  function refresh() {
    fetch(window.location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(new Error(String(response.status)));
      })
      .then(function (html) {
        var next = region(new DOMParser().parseFromString(html, 'text/html'));
        var current = region(document);
        if (!next || !current) return;
        current.innerHTML = next.innerHTML;
        current.setAttribute('data-state', next.getAttribute('data-state') || '');
        if (!finished(current)) window.setTimeout(refresh, INTERVAL_MS);
      })
      .catch(function () {
        // The server is not reachable for now (a restart): try again a little later.
        window.setTimeout(refresh, INTERVAL_MS * 3);
      });
  }
  document.addEventListener('DOMContentLoaded', function () {
    if (region(document) && !finished(region(document))) window.setTimeout(refresh, INTERVAL_MS);
  });
})();
