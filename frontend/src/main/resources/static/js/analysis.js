// Token strip on /analyze: clicking a position shows that position's rows of the feature table ("all" = summed).
document.addEventListener('DOMContentLoaded', () => {
  const buttons = document.querySelectorAll('#analysis-tokens .token-button');
  const rows = document.querySelectorAll('#analysis-table tbody tr');
  buttons.forEach((button) => button.addEventListener('click', () => {
    const position = button.dataset.position;
    buttons.forEach((b) => b.classList.toggle('selected', b === button));
    rows.forEach((row) => { row.hidden = row.dataset.position !== position; });
  }));
});
