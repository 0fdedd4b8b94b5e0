/* A little vanilla JS: year switcher, sortable and filterable tables, charts, htmx feedback. */
(function () {
  "use strict";

  // Same hues as the ranking workbook's chart (reports/ranking.py GRADE_BAR_COLOURS).
  var GRADE_COLOURS = { "优胜": "#2E9D4E", "达标": "#3A78C2", "不合格": "#D0433B" };
  var PENDING_COLOUR = "#8C8C8C";
  // One colour and one marker per unit on line charts (Tableau 10: told apart also by most colour-blind
  // readers); past ten units the lines turn dashed.
  var SERIES_COLOURS = ["#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#C9A227", "#B07AA1", "#FF9DA7", "#9C755F", "#5F6B75"];
  var SERIES_SYMBOLS = ["circle", "rect", "triangle", "diamond", "roundRect", "pin", "arrow", "emptyCircle", "emptyRect", "emptyTriangle"];
  var REDUCED_MOTION = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) return "";
    var raw = cell.getAttribute("data-value");
    if (raw === null) raw = cell.textContent.trim();
    if (type === "num") {
      var n = parseFloat(raw.replace(/[^\d.\-−]/g, "").replace("−", "-"));
      return isNaN(n) ? -Infinity : n;
    }
    return raw;
  }

  function sortTable(th) {
    var table = th.closest("table");
    var body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var type = th.getAttribute("data-sort");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    each("th[data-sort]", function (other) { other.removeAttribute("aria-sort"); }, table);
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type), y = cellValue(b, index, type);
      var order = type === "num" ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function initTables(root) {
    each("table[data-sortable] th[data-sort]", function (th) {
      if (th.dataset.bound) return;
      th.dataset.bound = "1";
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      th.title = "点击排序";
      th.addEventListener("click", function () { sortTable(th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(th); }
      });
    }, root);
    each("input[data-filter]", function (input) {
      if (input.dataset.bound) return;
      input.dataset.bound = "1";
      input.addEventListener("input", function () {
        var table = document.getElementById(input.getAttribute("data-filter"));
        var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        each("tbody tr:not(.section-row)", function (row) {
          var text = row.textContent.toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) >= 0; });
          row.hidden = !match;
          if (match) shown++;
        }, table);
        var counter = document.querySelector("[data-count-for='" + table.id + "']");
        if (counter) counter.textContent = "显示 " + shown + " 行";
      });
    }, root);
  }

  function chartData(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    return source ? JSON.parse(source.textContent) : null;
  }

  var CHARTS = {
    ranking: function (data) {
      return {
        textStyle: { fontFamily: FONT },
        grid: { left: 48, right: 72, top: 30, bottom: 60 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "category", data: data.units.map(function (u) { return u.name; }), axisLabel: { interval: 0, rotate: data.units.length > 10 ? 40 : 0 } },
        yAxis: { type: "value", name: "总分", min: 0, max: data.max },
        series: [{
          type: "bar",
          barMaxWidth: 42,
          label: { show: true, position: "top", formatter: function (p) { return p.value.toFixed(2); } },
          data: data.units.map(function (u) {
            return { value: u.total, itemStyle: { color: GRADE_COLOURS[u.grade] || PENDING_COLOUR }, grade: u.grade };
          }),
          markLine: {
            symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#555" },
            label: { formatter: "{b} {c}" },
            data: [{ name: "达标线", yAxis: data.pass_min }, { name: "优胜线", yAxis: data.excellent_min }]
          }
        }],
        legend: { show: false }
      };
    },
    radar: function (data) {
      return {
        textStyle: { fontFamily: FONT },
        legend: { bottom: 0, data: [data.unit, "全市平均"] },
        tooltip: {},
        radar: {
          radius: "62%",
          indicator: data.sections.map(function (s) { return { name: s.name, max: 100 }; }),
          axisName: { color: "#1f2329" }
        },
        series: [{
          type: "radar",
          data: [
            { name: data.unit, value: data.sections.map(function (s) { return s.rate; }), areaStyle: { opacity: 0.15 }, lineStyle: { color: "#1f5fa8" }, itemStyle: { color: "#1f5fa8" } },
            { name: "全市平均", value: data.sections.map(function (s) { return s.average; }), lineStyle: { type: "dashed", color: "#7a7a7a" }, itemStyle: { color: "#7a7a7a" } }
          ]
        }]
      };
    },
    progress: function (data) {
      return {
        textStyle: { fontFamily: FONT },
        grid: { left: 96, right: 40, top: 28, bottom: 20 },
        legend: { top: 0, data: data.series.map(function (s) { return s.name; }) },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", inverse: true, data: data.labels },
        series: data.series.map(function (s, i) {
          return { name: s.name, type: "bar", data: s.values, barMaxWidth: 14, itemStyle: { color: ["#1f5fa8", "#2E9D4E"][i % 2] }, label: { show: true, position: "right", formatter: "{c}%" } };
        })
      };
    },
    rings: function (data, el) {
      // A grid of rings sized to the element: as many columns as fit at about 150px each.
      var n = data.rings.length, width = el.clientWidth || 600, height = el.clientHeight || 320;
      var columns = Math.max(1, Math.min(n, Math.floor(width / 150)));
      var rows = Math.ceil(n / columns);
      var cellW = width / columns, cellH = height / rows;
      var outer = Math.max(24, Math.min(cellW, cellH) / 2 - 14);
      return {
        textStyle: { fontFamily: FONT },
        tooltip: { formatter: function (p) { return p.seriesName + "：" + p.data.label; } },
        series: data.rings.map(function (r, i) {
          var cx = (i % columns + 0.5) * cellW, cy = (Math.floor(i / columns) + 0.5) * cellH - 8;
          return {
            name: r.name, type: "pie", radius: [outer * 0.74, outer], center: [cx, cy], avoidLabelOverlap: false,
            label: { show: true, position: "center", formatter: function () { return "{pct|" + r.percent + "%}"; },
              rich: { pct: { fontSize: 15, fontWeight: "bold", color: "#1f2329" } } },
            labelLine: { show: false },
            data: [
              { value: r.done, label: r.label, itemStyle: { color: r.percent >= 100 ? "#2E9D4E" : "#1f5fa8" } },
              { value: Math.max(r.total - r.done, 0), label: r.label, itemStyle: { color: "#e3e7ec" } }
            ]
          };
        }),
        graphic: data.rings.map(function (r, i) {
          var cx = (i % columns + 0.5) * cellW, cy = (Math.floor(i / columns) + 0.5) * cellH - 8;
          return { type: "text", x: cx, y: cy + outer + 6, style: { text: r.name + "  " + r.label, textAlign: "center", fill: "#3d4650", fontSize: 12, fontFamily: FONT } };
        })
      };
    },
    years: function (data) {
      return {
        textStyle: { fontFamily: FONT },
        grid: { left: 48, right: 16, top: 56, bottom: 28 },
        legend: { top: 0, itemWidth: 26 },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v.toFixed(2); } },
        xAxis: { type: "category", data: data.years },
        // From a round ten below the lowest total, so that close lines stay apart.
        yAxis: { type: "value", name: "总分", max: data.max, min: function (v) { return Math.max(0, Math.floor(v.min / 10) * 10 - 10); } },
        series: data.units.map(function (u, i) {
          return {
            name: u.name, type: "line", data: u.totals, connectNulls: false,
            color: SERIES_COLOURS[i % SERIES_COLOURS.length],
            symbol: SERIES_SYMBOLS[i % SERIES_SYMBOLS.length], symbolSize: 8,
            lineStyle: { width: 2, type: i < SERIES_COLOURS.length ? "solid" : "dashed" }
          };
        })
      };
    }
  };

  function initCharts(root) {
    if (!window.echarts) return;
    each("[data-chart]", function (el) {
      if (el.dataset.bound) return;
      var data = chartData(el);
      var build = CHARTS[el.getAttribute("data-chart")];
      if (!data || !build) return;
      el.dataset.bound = "1";
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      var option = build(data, el);
      option.animation = !REDUCED_MOTION;
      chart.setOption(option);
      window.addEventListener("resize", function () {
        var again = build(data, el);
        again.animation = false;
        chart.setOption(again, true);
        chart.resize();
      });
    }, root);
  }

  function init(root) {
    initTables(root);
    initCharts(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    each("[data-autosubmit]", function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    document.addEventListener("submit", function (e) {
      var message = e.target.getAttribute("data-confirm");
      if (message && !window.confirm(message)) e.preventDefault();
    }, true);
    document.addEventListener("click", function (e) {
      var button = e.target.closest("[data-take-latest]");
      if (!button) return;
      var row = button.closest("tr");
      each("[data-latest]", function (input) { input.value = input.getAttribute("data-latest"); }, row);
      button.closest(".conflict").remove();
    });
    document.addEventListener("change", function (e) {
      var input = e.target;
      if (input.type !== "file" || !input.closest(".file-pick")) return;
      var label = input.closest(".file-pick");
      label.querySelector("span").textContent = input.files.length ? input.files[0].name : "选择文件";
      label.classList.toggle("chosen", input.files.length > 0);
    });
    each("[data-print]", function (button) { button.addEventListener("click", function () { window.print(); }); });
    init(document);
  });

  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
  document.addEventListener("htmx:responseError", function (e) {
    var box = document.getElementById("messages");
    if (box) box.innerHTML = '<div class="message message-error" role="alert">保存失败：服务器出错（' + e.detail.xhr.status + '），请刷新页面后重试。</div>';
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("messages");
    if (box) box.innerHTML = '<div class="message message-error" role="alert">无法连接服务器，修改未保存；请检查网络后重试。</div>';
  });
  document.addEventListener("htmx:xhr:progress", function (e) {
    var bar = e.target.querySelector && e.target.querySelector("progress");
    if (bar && e.detail.lengthComputable) {
      bar.hidden = false;
      bar.value = Math.round((e.detail.loaded / e.detail.total) * 100);
    }
  });
})();
