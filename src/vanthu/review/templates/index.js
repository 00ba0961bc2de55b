// Sorting and filtering of the review index; without scripts the table is still whole and readable.
(function () {
  "use strict";
  var table = document.getElementById("danh-sach");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("loc-chu");
  var type = document.getElementById("loc-loai");
  var status = document.getElementById("loc-thay-doi");
  var count = document.getElementById("dem");
  var collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase(); }
  function filter() {
    var q = fold(text.value.trim()), t = type.value, s = status ? status.value : "", shown = 0;
    rows.forEach(function (r) {
      var ok = (!q || fold(r.textContent).indexOf(q) >= 0) && (!t || r.dataset.type === t) && (!s || r.dataset.status === s);
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = "Hiển thị " + shown + "/" + rows.length + " văn bản";
  }
  [text, type, status].forEach(function (el) { if (el) { el.addEventListener("input", filter); el.addEventListener("change", filter); } });
  var original = rows.slice();
  var buttons = table.tHead.querySelectorAll("button[data-col]");
  var chooser = document.getElementById("sap-xep");
  function sort(col, order) {
    Array.prototype.forEach.call(table.tHead.querySelectorAll("th"), function (h) { h.setAttribute("aria-sort", "none"); });
    if (col === null) {
      rows = original.slice();
    } else {
      var button = buttons[col], numeric = !!button.dataset.numeric;
      button.parentNode.setAttribute("aria-sort", order);
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
        var c = numeric ? (+x) - (+y) : collator.compare(x, y);
        return order === "ascending" ? c : -c;
      });
    }
    rows.forEach(function (r) { body.appendChild(r); });
    var value = col === null ? "" : col + ":" + order;
    chooser.value = Array.prototype.some.call(chooser.options, function (o) { return o.value === value; }) ? value : "";
  }
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      var th = button.parentNode;
      sort(+button.dataset.col, th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
    });
  });
  chooser.addEventListener("change", function () {
    if (!chooser.value) { sort(null); return; }
    var parts = chooser.value.split(":");
    sort(+parts[0], parts[1]);
  });
  filter();
}());
