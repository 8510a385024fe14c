// kubectl's table layout: Go's text/tabwriter with minwidth 0, padding 3, padchar ' ', so each column
// is as wide as its widest cell plus 3 spaces, and the last column is not padded.
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i < row.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - [...cell].length + 3) : cell,
        )
        .join(''),
    )
    .map((line) => `${line}\n`)
    .join('');
}
