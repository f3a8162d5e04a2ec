// While a job runs, its page reads itself again every two seconds and updates itself in place: the status
// sentence (a polite live region) only when it changes, the progress bar and its label without being
// announced, and the outcome once the job has ended, after which it stops. Nothing else on the page is
// touched, so keyboard focus stays where it is. Without JavaScript the page offers a link that does the same.
(function () {
  'use strict';
  var INTERVAL_MS = 2000;
  function part(doc, id) {
    return doc.getElementById(id);
  }
  function finished(state) {
    return state === 'done' || state === 'failed';
  }
  function update(next) {
    var current = part(document, 'auftrag');
    var incoming = part(next, 'auftrag');
    if (!current || !incoming) return true;
    var state = incoming.getAttribute('data-state') || '';
    var message = part(next, 'auftrag-meldung');
    var shown = part(document, 'auftrag-meldung');
    if (message && shown && shown.textContent !== message.textContent) shown.textContent = message.textContent;
    var bar = part(document, 'auftrag-fortschritt');
    var nextBar = part(next, 'auftrag-fortschritt');
    var sameShape = bar && nextBar && current.getAttribute('data-state') === state;
    if (sameShape) {
      bar.setAttribute('max', nextBar.getAttribute('max'));
      bar.setAttribute('value', nextBar.getAttribute('value'));
      bar.textContent = nextBar.textContent;
      part(document, 'auftrag-fortschritt-text').textContent = part(next, 'auftrag-fortschritt-text').textContent;
    } else {
      var content = part(document, 'auftrag-inhalt');
      var nextContent = part(next, 'auftrag-inhalt');
      if (content && nextContent && content.innerHTML !== nextContent.innerHTML) content.innerHTML = nextContent.innerHTML;
    }
    current.setAttribute('data-state', state);
    return finished(state);
  }
  function refresh() {
    fetch(window.location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(new Error(String(response.status)));
      })
      .then(function (html) {
        if (!update(new DOMParser().parseFromString(html, 'text/html'))) window.setTimeout(refresh, INTERVAL_MS);
      })
      .catch(function () {
        // The server is not reachable for now (a restart): try again a little later.
        window.setTimeout(refresh, INTERVAL_MS * 3);
      });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var job = part(document, 'auftrag');
    if (job && !finished(job.getAttribute('data-state'))) window.setTimeout(refresh, INTERVAL_MS);
  });
})();
