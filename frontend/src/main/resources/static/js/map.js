// Feature map (templates/maps/saeMap.html): pan (drag), zoom (wheel, buttons), a label tip on hover; after a
// zoom the points of the visible region are fetched again, so zooming in shows features the overview thinned
// out. Without JavaScript the SVG is a static picture whose points are links with their labels as titles.
(function () {
  'use strict';
  var frame = document.querySelector('.map-frame');
  var svg = frame && frame.querySelector('svg.feature-map');
  if (!svg) { return; }
  var tip = frame.querySelector('.map-tip');
  var full = svg.getAttribute('viewBox').split(/\s+/).map(Number);
  var box = full.slice();
  var SVGNS = 'http://www.w3.org/2000/svg';
  var reloadTimer = null;

  function setBox(b) {
    var w = Math.min(Math.max(b[2], 8), full[2]);
    box = [b[0], b[1], w, w];
    svg.setAttribute('viewBox', box.join(' '));
    var scale = box[2] / full[2];
    svg.querySelectorAll('.map-points circle').forEach(function (c) {
      var big = c.classList.contains('match') || c.classList.contains('marked');
      c.setAttribute('r', String((big ? 7 : 4) * Math.max(scale, 0.15)));
    });
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(reload, 350);
  }

  function toMap(evt) {
    var r = svg.getBoundingClientRect();
    return [box[0] + (evt.clientX - r.left) / r.width * box[2], box[1] + (evt.clientY - r.top) / r.height * box[3]];
  }

  function zoom(factor, centre) {
    var c = centre || [box[0] + box[2] / 2, box[1] + box[3] / 2];
    var w = Math.min(box[2] * factor, full[2]);
    setBox([c[0] - (c[0] - box[0]) * w / box[2], c[1] - (c[1] - box[1]) * w / box[3], w, w]);
  }

  svg.addEventListener('wheel', function (evt) {
    evt.preventDefault();
    zoom(evt.deltaY < 0 ? 0.8 : 1.25, toMap(evt));
  }, { passive: false });

  var drag = null;
  svg.addEventListener('pointerdown', function (evt) {
    drag = { x: evt.clientX, y: evt.clientY, box: box.slice(), moved: false };
  });
  window.addEventListener('pointermove', function (evt) {
    if (!drag) { return; }
    var r = svg.getBoundingClientRect();
    var dx = (evt.clientX - drag.x) / r.width * box[2], dy = (evt.clientY - drag.y) / r.height * box[3];
    if (Math.abs(evt.clientX - drag.x) + Math.abs(evt.clientY - drag.y) > 4) {
      drag.moved = true;
      svg.classList.add('dragging');
      setBox([drag.box[0] - dx, drag.box[1] - dy, drag.box[2], drag.box[3]]);
    }
  });
  window.addEventListener('pointerup', function () {
    svg.classList.remove('dragging');
    setTimeout(function () { drag = null; }, 0);
  });
  // a drag must not open the feature under the pointer
  svg.addEventListener('click', function (evt) {
    if (drag && drag.moved) { evt.preventDefault(); }
  }, true);

  frame.parentNode.querySelectorAll('.map-zoom').forEach(function (z) { z.hidden = false; });
  document.querySelectorAll('[data-zoom]').forEach(function (b) {
    b.addEventListener('click', function () {
      var how = b.getAttribute('data-zoom');
      if (how === 'reset') { setBox(full.slice()); } else { zoom(how === 'in' ? 0.5 : 2); }
    });
  });

  function labelOf(circle) {
    var t = circle.querySelector('title');
    return t ? t.textContent : '#' + circle.getAttribute('data-i');
  }
  svg.addEventListener('mouseover', function (evt) {
    var c = evt.target.closest('circle[data-i]');
    if (!c) { tip.hidden = true; return; }
    tip.textContent = labelOf(c);
    var fr = frame.getBoundingClientRect(), cr = c.getBoundingClientRect();
    tip.style.left = (cr.left - fr.left + cr.width + 6) + 'px';
    tip.style.top = (cr.top - fr.top - 4) + 'px';
    tip.hidden = false;
  });
  svg.addEventListener('mouseleave', function () { tip.hidden = true; });

  // fetch the points of the visible region (the server thins to one per grid cell of the region)
  function reload() {
    var url = new URL(frame.getAttribute('data-api'), window.location.href);
    url.searchParams.set('x0', String(Math.max(0, box[0])));
    url.searchParams.set('y0', String(Math.max(0, box[1])));
    url.searchParams.set('x1', String(Math.min(1000, box[0] + box[2])));
    url.searchParams.set('y1', String(Math.min(1000, box[1] + box[3])));
    if (frame.getAttribute('data-colour')) { url.searchParams.set('colour', frame.getAttribute('data-colour')); }
    if (frame.getAttribute('data-q')) { url.searchParams.set('q', frame.getAttribute('data-q')); }
    fetch(url.toString(), { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data.points); } });
  }

  function draw(points) {
    var layer = svg.querySelector('.map-points');
    var marked = {};
    layer.querySelectorAll('circle.marked').forEach(function (c) { marked[c.getAttribute('data-i')] = true; });
    var base = window.location.pathname.replace(/\/map$/, '/');
    var scale = Math.max(box[2] / full[2], 0.15);
    var fresh = document.createDocumentFragment();
    points.forEach(function (p) {
      var a = document.createElementNS(SVGNS, 'a');
      a.setAttribute('href', base + p.i);
      var c = document.createElementNS(SVGNS, 'circle');
      c.setAttribute('cx', p.x); c.setAttribute('cy', p.y); c.setAttribute('fill', p.fill);
      c.setAttribute('data-i', p.i);
      var cls = p.match ? 'match' : (marked[p.i] ? 'marked' : '');
      if (cls) { c.setAttribute('class', cls); }
      c.setAttribute('r', String((cls ? 7 : 4) * scale));
      var t = document.createElementNS(SVGNS, 'title');
      t.textContent = '#' + p.i + (p.label ? ' ' + p.label : '');
      c.appendChild(t); a.appendChild(c); fresh.appendChild(a);
    });
    layer.replaceChildren(fresh);
    svg.setAttribute('data-drawn', String(points.length));
  }
}());
