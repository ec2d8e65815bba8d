// /analyze: the token strip shows one position's rows of the feature table ("all" = summed) on click or focus;
// a table row's "heat-map" link shows that feature's heat-map in place (without JavaScript it reloads the
// permalink with &feature=N, which the server draws the same way).
document.addEventListener('DOMContentLoaded', () => {
  const buttons = document.querySelectorAll('#analysis-tokens .token-button');
  const rows = document.querySelectorAll('#analysis-table tbody tr');
  const show = (button) => {
    const position = button.dataset.position;
    buttons.forEach((b) => b.classList.toggle('selected', b === button));
    rows.forEach((row) => { row.hidden = row.dataset.position !== position; });
  };
  buttons.forEach((button) => {
    button.addEventListener('click', () => show(button));
    button.addEventListener('focus', () => show(button));
  });
  const maps = document.querySelectorAll('#analysis-heatmap .heatmap');
  const permalink = document.getElementById('analysis-permalink');
  document.querySelectorAll('.heat-link').forEach((link) => link.addEventListener('click', (e) => {
    e.preventDefault();
    maps.forEach((m) => { m.hidden = m.dataset.feature !== link.dataset.feature; });
    if (permalink) {
      const url = new URL(permalink.href);
      url.searchParams.set('feature', link.dataset.feature);
      permalink.href = url.toString();
    }
    document.getElementById('analysis-heatmap').scrollIntoView({ block: 'nearest' });
  }));
});
