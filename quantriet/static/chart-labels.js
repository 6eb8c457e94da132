// Shared by the pages that draw Chart.js charts of units. Long names ("Đảng bộ trực thuộc tỉnh (xã,
// phường, khối)") are broken into lines of whole words instead of being cut or rotated: Chart.js
// draws an array label as several lines.
window.chartLabel = function (label, width) {
  const lines = [];
  for (const word of String(label).split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
    else lines.push(word);
  }
  return lines;
};
