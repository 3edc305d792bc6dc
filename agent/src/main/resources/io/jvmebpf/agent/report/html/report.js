// report.html: renders every section from summary.json and the flame graphs' stacks embedded in
// the page. A section renders only when its key is in the data, so a feature's section appears by
// itself once the agent writes its key. Nothing is fetched.
"use strict";
(function () {
  const summary = JSON.parse(document.getElementById("summary-data").textContent);
  const profiles = JSON.parse(document.getElementById("profile-data").textContent);
  const hash = new URLSearchParams(location.hash.slice(1)); // #thread=NAME&search=TEXT
  const main = document.getElementById("main");
  const nav = document.getElementById("nav");

  // ---- small helpers ----
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  const isNum = (v) => typeof v === "number" && isFinite(v);
  const int = (v) => (isNum(v) ? Math.round(v).toLocaleString("en-US") : v == null ? "" : String(v));
  function ns(v) { // nanoseconds as a person reads them
    if (!isNum(v)) return v == null ? "" : String(v);
    if (v >= 1e9) return (v / 1e9).toFixed(v >= 1e11 ? 0 : 2) + " s";
    if (v >= 1e6) return (v / 1e6).toFixed(v >= 1e8 ? 0 : 1) + " ms";
    if (v >= 1e3) return (v / 1e3).toFixed(1) + " µs";
    return v + " ns";
  }
  function bytes(v) {
    if (!isNum(v)) return v == null ? "" : String(v);
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(1)) + " " + units[i];
  }
  function section(id, title, note) {
    const s = el("section", { id: id }, el("h2", { text: title }));
    if (note) s.append(el("p", { class: "note", text: note }));
    main.append(s);
    nav.append(el("a", { href: "#" + id, text: title }));
    nav.lastChild.addEventListener("click", (ev) => { ev.preventDefault(); s.scrollIntoView(); });
    return s;
  }

  // A sortable table. columns: {label, get(row), fmt?(value,row) -> string|Node, num?}
  function table(columns, rows, opts) {
    opts = opts || {};
    const t = el("table");
    const head = el("tr");
    const body = el("tbody");
    let sortBy = opts.sortBy == null ? -1 : opts.sortBy;
    let desc = opts.desc !== false;
    const limit = opts.limit || 2000;
    function render() {
      const sorted = rows.slice();
      if (sortBy >= 0) {
        const get = columns[sortBy].get;
        sorted.sort((a, b) => {
          const x = get(a), y = get(b);
          const c = isNum(x) && isNum(y) ? x - y : String(x == null ? "" : x).localeCompare(String(y == null ? "" : y));
          return desc ? -c : c;
        });
      }
      body.replaceChildren();
      for (const row of sorted.slice(0, limit)) {
        const tr = el("tr", opts.rowClass ? { class: opts.rowClass(row) || "" } : {});
        for (const c of columns) {
          const v = c.get(row);
          const shown = c.fmt ? c.fmt(v, row) : c.num ? int(v) : v;
          tr.append(el("td", c.num ? { class: "num" } : {}, shown == null ? "" : shown));
        }
        body.append(tr);
      }
      head.querySelectorAll("th").forEach((th, i) => {
        th.className = i === sortBy ? (desc ? "sorted-desc" : "sorted-asc") : "";
      });
    }
    columns.forEach((c, i) => {
      const th = el("th", { text: c.label });
      th.addEventListener("click", () => {
        if (sortBy === i) desc = !desc; else { sortBy = i; desc = !!c.num; }
        render();
      });
      head.append(th);
    });
    t.append(el("thead", {}, head), body);
    render();
    const wrap = el("div", {}, t);
    if (rows.length > limit) wrap.append(el("p", { class: "note", text: "the first " + limit + " of " + rows.length + " rows, in the order chosen" }));
    return wrap;
  }

  function kv(pairs) {
    const t = el("table", { class: "kv" });
    for (const [k, v] of pairs) if (v !== undefined) t.append(el("tr", {}, el("td", { text: k }), el("td", {}, v == null ? "null" : v)));
    return t;
  }

  // A log2 histogram ({"<bucket lower bound>": count}) as bars, one per power of two.
  function histogram(buckets, big) {
    const entries = Object.entries(buckets || {}).map(([k, c]) => [Number(k), c]).filter(([, c]) => c > 0);
    if (!entries.length) return "";
    const log = (k) => (k <= 1 ? 0 : Math.round(Math.log2(k)));
    const lo = Math.min(...entries.map(([k]) => log(k))), hi = Math.max(...entries.map(([k]) => log(k)));
    const max = Math.max(...entries.map(([, c]) => c));
    const bw = big ? 14 : 4, h = big ? 80 : 16, n = hi - lo + 1;
    const svgNs = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(svgNs, "svg");
    svg.setAttribute("class", big ? "hist big" : "hist");
    svg.setAttribute("width", String(n * bw));
    svg.setAttribute("height", String(h));
    for (const [k, c] of entries) {
      const r = document.createElementNS(svgNs, "rect");
      const bh = Math.max(1, (c / max) * h);
      r.setAttribute("x", String((log(k) - lo) * bw));
      r.setAttribute("y", String(h - bh));
      r.setAttribute("width", String(bw - 1));
      r.setAttribute("height", String(bh));
      const title = document.createElementNS(svgNs, "title");
      title.textContent = "[" + ns(k) + ", " + ns(k <= 1 ? 2 : k * 2) + "): " + int(c);
      r.append(title);
      svg.append(r);
    }
    const span = el("span", { title: "from " + ns(2 ** lo) + " to " + ns(2 ** (hi + 1)) });
    span.append(svg);
    return span;
  }

  // ---- header ----
  (function header() {
    const p = summary.process || {};
    const a = summary.agent || {};
    const h = document.getElementById("header");
    h.append(el("h1", { text: "jvm-ebpf report" + (p.pid != null ? " — pid " + p.pid : "") }));
    const facts = el("div", { class: "facts" });
    const fact = (k, v) => { if (v != null) facts.append(el("span", {}, k + " ", el("b", { text: String(v) }))); };
    fact("JVM", p.jvm);
    fact("kernel", p.kernel);
    fact("started", p.startedAt);
    fact("ran", isNum(p.durationMs) ? ns(p.durationMs * 1e6) : null);
    fact("agent", a.version);
    fact("paused", a.pausedNs > 0 ? ns(a.pausedNs) : null);
    h.append(facts);
    document.title = "jvm-ebpf report" + (p.pid != null ? " — pid " + p.pid : "");
  })();

  // ---- what the agent could not do ----
  if (summary.agent) {
    const a = summary.agent;
    const s = section("agent", "Agent: features, losses, overhead");
    const features = Object.entries(a.features || {});
    const off = features.filter(([, v]) => String(v).startsWith("off"));
    const dropped = Object.entries(a.dropped || {}).filter(([, v]) => v > 0);
    if (off.length || dropped.length) {
      s.append(el("p", { class: "off", text: "What the agent could not do: " + (off.length ? off.length + " feature(s) off" : "every feature on")
        + (dropped.length ? "; " + dropped.length + " kind(s) of events lost" : "; nothing lost") + "." }));
    } else {
      s.append(el("p", { class: "note", text: "Every feature on; no bounded map or buffer lost anything." }));
    }
    if (a.pausedNs > 0) {
      s.append(el("p", { class: "note", text: "Paused for " + ns(a.pausedNs) + " of this report's time: the kernel counted no"
        + " bytes, calls or samples then, but saw connections, processes and threads end." }));
    }
    s.append(table([
      { label: "feature", get: (r) => r[0] },
      { label: "status", get: (r) => r[1], fmt: (v) => el("span", { class: String(v).startsWith("off") ? "off" : "" , text: v }) },
    ], features));
    if (a.dropped) {
      const zero = Object.keys(a.dropped).length - dropped.length;
      s.append(el("h3", { text: "Events lost (agent.dropped)" }));
      if (dropped.length) {
        s.append(table([
          { label: "what", get: (r) => r[0] },
          { label: "count", get: (r) => r[1], num: true },
        ], dropped, { sortBy: 1, rowClass: () => "warn" }));
      }
      s.append(el("p", { class: "note", text: zero + " other counter(s) at zero: " + Object.keys(a.dropped).filter((k) => !(a.dropped[k] > 0)).join(", ") }));
    }
    if (a.overhead) {
      const o = a.overhead;
      s.append(el("h3", { text: "The agent's own cost" }));
      s.append(kv([["CPU time", ns(o.cpuNs)], ["resident memory added", bytes(o.rssBytes)], ["BPF run time", ns(o.bpfRunNs)],
        ["BPF runs", int(o.bpfRunCount)], ["BPF map memory", bytes(o.bpfMapBytes)], ["start-up", isNum(o.startupMs) ? o.startupMs + " ms" : o.startupMs]]));
    }
  }

  // ---- the process's memory over time: process.memory, columns of one sample each ----
  const memory = summary.process && summary.process.memory;
  if (memory && Array.isArray(memory.ms) && memory.ms.length) {
    const s = section("memory", "Memory over time",
      "The whole process's resident memory (VmRSS: heap, metaspace, code, thread stacks, direct buffers, native libraries)"
      + " and the Java heap, every " + ns(memory.periodMs * 1e6) + " from the agent's start (" + memory.startedAt
      + ") to the report. Hover a point for its figures.");
    const series = [
      { key: "rssBytes", label: "resident (RSS)", cls: "rss" },
      { key: "heapCommittedBytes", label: "heap committed", cls: "heap-committed" },
      { key: "heapUsedBytes", label: "heap used", cls: "heap-used" },
    ].filter((x) => Array.isArray(memory[x.key]) && memory[x.key].length === memory.ms.length);
    const legend = el("div", { class: "legend" });
    for (const x of series) legend.append(el("span", {}, el("i", { class: "memory-key " + x.cls }), x.label));
    s.append(legend, lineChart(memory.ms, series.map((x) => Object.assign({ values: memory[x.key] }, x))));
    const rss = memory.rssBytes || [];
    if (rss.length) s.append(kv([["resident at the start", bytes(rss[0])], ["resident at the report", bytes(rss[rss.length - 1])],
      ["resident at its highest sample", bytes(Math.max(...rss))]]));
  }

  // A line chart of byte counts over time as inline SVG: x in seconds, y in MiB, one polyline per series.
  function lineChart(ms, series) {
    const svgNs = "http://www.w3.org/2000/svg";
    const node = (tag, attrs, text) => {
      const e = document.createElementNS(svgNs, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      if (text != null) e.textContent = text;
      return e;
    };
    const W = 640, H = 220, left = 56, right = 14, top = 10, bottom = 36;
    const MiB = 1024 * 1024;
    const xMax = niceMax(Math.max(1, ms[ms.length - 1] / 1000)), yMax = niceMax(Math.max(1, ...series.flatMap((x) => x.values)) / MiB);
    const x = (msAt) => left + (msAt / 1000 / xMax.top) * (W - left - right);
    const y = (b) => top + (1 - b / MiB / yMax.top) * (H - top - bottom);
    const svg = node("svg", { class: "memory-chart", width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "memory over time" });
    for (let v = 0; v <= yMax.top + 1e-9; v += yMax.step) {
      svg.append(node("line", { class: "grid", x1: left, x2: W - right, y1: y(v * MiB), y2: y(v * MiB) }));
      svg.append(node("text", { class: "tick", x: left - 6, y: y(v * MiB) + 4, "text-anchor": "end" }, round(v)));
    }
    for (let v = 0; v <= xMax.top + 1e-9; v += xMax.step) {
      svg.append(node("line", { class: "axis", x1: x(v * 1000), x2: x(v * 1000), y1: H - bottom, y2: H - bottom + 4 }));
      svg.append(node("text", { class: "tick", x: x(v * 1000), y: H - bottom + 16, "text-anchor": "middle" }, round(v)));
    }
    svg.append(node("line", { class: "axis", x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }));
    svg.append(node("text", { class: "axis-label", x: (left + W - right) / 2, y: H - 4, "text-anchor": "middle" }, "seconds since the agent started"));
    svg.append(node("text", { class: "axis-label", x: 12, y: (top + H - bottom) / 2, "text-anchor": "middle",
      transform: "rotate(-90 12 " + (top + H - bottom) / 2 + ")" }, "MiB"));
    for (const sr of series) {
      svg.append(node("polyline", { class: "line " + sr.cls, points: ms.map((t, i) => x(t).toFixed(1) + "," + y(sr.values[i]).toFixed(1)).join(" ") }));
    }
    ms.forEach((t, i) => { // one hover target per sample, on the first series
      const dot = node("circle", { class: "dot " + series[0].cls, cx: x(t).toFixed(1), cy: y(series[0].values[i]).toFixed(1), r: ms.length > 120 ? 1.5 : 3 });
      dot.append(node("title", {}, (t / 1000).toFixed(1) + " s: " + series.map((sr) => sr.label + " " + bytes(sr.values[i])).join(", ")));
      svg.append(dot);
    });
    return el("div", { class: "chart" }, svg);
  }
  // An axis's top and tick step: steps of 1, 2 or 5 times a power of ten, about five of them.
  function niceMax(max) {
    const raw = max / 5, power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * power).find((c) => c >= raw);
    return { step: step, top: Math.ceil(max / step - 1e-9) * step };
  }
  function round(v) {
    return String(Math.round(v * 1000) / 1000);
  }

  const threads = Array.isArray(summary.threads) ? summary.threads : [];
  const threadLabel = (t) => (t.name || "?") + " tid=" + t.tid;

  // ---- per-thread time breakdown ----
  const timed = threads.filter((t) => t.time && t.time.wallNs > 0);
  if (timed.length) {
    const reasons = {};
    for (const t of timed) for (const [r, v] of Object.entries(t.time.offCpuByReason || {})) reasons[r] = (reasons[r] || 0) + v;
    const reasonList = Object.keys(reasons).sort((x, y) => reasons[y] - reasons[x]);
    const palette = ["#d9534f", "#8e6bbf", "#5b8def", "#3bb3c3", "#c77c2e", "#9aa5b1", "#b0588f", "#6f8f3a", "#444c56", "#e0a800"];
    const color = { onCpu: "#3fa34d", runQueue: "#f0c419" };
    reasonList.forEach((r, i) => { color["off:" + r] = palette[i % palette.length]; });
    const s = section("time", "Where each thread's time went",
      "From the agent's start (or the thread's) to its end or the report: on CPU, waiting for a CPU (run queue), and off CPU by reason. Bars are scaled to the longest wall time.");
    const legend = el("div", { class: "legend" });
    const key = (name, c) => legend.append(el("span", {}, el("i", { style: "background:" + c }), name));
    key("on CPU", color.onCpu);
    key("run queue", color.runQueue);
    reasonList.forEach((r) => key("off CPU: " + r, color["off:" + r]));
    s.append(legend);
    const maxWall = Math.max(...timed.map((t) => t.time.wallNs));
    function bar(t) {
      const b = el("div", { class: "bar" });
      const part = (v, c, what) => {
        if (v > 0) b.append(el("div", { style: "width:" + ((v / maxWall) * 100).toFixed(3) + "%;background:" + c, title: what + ": " + ns(v) }));
      };
      part(t.time.onCpuNs, color.onCpu, "on CPU");
      part(t.time.runQueueNs, color.runQueue, "run queue");
      for (const r of reasonList) part((t.time.offCpuByReason || {})[r], color["off:" + r], "off CPU: " + r);
      return b;
    }
    s.append(table([
      { label: "thread", get: (t) => t.name },
      { label: "tid", get: (t) => t.tid, num: true },
      { label: "wall", get: (t) => t.time.wallNs, fmt: ns, num: true },
      { label: "on CPU", get: (t) => t.time.onCpuNs, fmt: ns, num: true },
      { label: "run queue", get: (t) => t.time.runQueueNs, fmt: ns, num: true },
      { label: "off CPU", get: (t) => t.time.offCpuNs, fmt: ns, num: true },
      { label: "breakdown", get: (t) => t.time.onCpuNs / Math.max(1, t.time.wallNs), fmt: (v, t) => bar(t) },
      { label: "run-queue waits (log2)", get: (t) => t.time.runQueueNs, fmt: (v, t) => histogram(t.time.runQueueLatencyLog2Ns) },
    ], timed, { sortBy: 3 }));
  }

  // ---- flame graphs ----
  for (const [name, p] of Object.entries(profiles)) flameSection(name, p);

  // ---- threads: CPU samples, network, identity ----
  if (threads.length) {
    const s = section("threads", "Threads", "Every thread a probe saw; Java threads by their Java names.");
    const cols = [
      { label: "thread", get: (t) => t.name },
      { label: "tid", get: (t) => t.tid, num: true },
      { label: "Java id", get: (t) => t.javaThreadId, num: true },
      { label: "started", get: (t) => t.startedAt },
      { label: "ended", get: (t) => t.endedAt },
      { label: "syscalls", get: (t) => (t.syscalls || []).reduce((n, c) => n + c.count, 0), num: true },
    ];
    if (threads.some((t) => t.cpu)) {
      cols.push({ label: "CPU samples", get: (t) => (t.cpu ? t.cpu.samples : null), num: true });
      cols.push({ label: "hottest frame", get: (t) => (t.cpu && t.cpu.topFrames && t.cpu.topFrames[0] ? t.cpu.topFrames[0].name : "") });
    }
    if (threads.some((t) => t.network)) {
      cols.push({ label: "bytes sent", get: (t) => (t.network ? t.network.bytesSent : null), fmt: bytes, num: true });
      cols.push({ label: "bytes received", get: (t) => (t.network ? t.network.bytesReceived : null), fmt: bytes, num: true });
      cols.push({ label: "connections", get: (t) => (t.network ? t.network.connections : null), num: true });
    }
    if (threads.some((t) => t.nativeMemory)) {
      cols.push({ label: "malloc'd", get: (t) => (t.nativeMemory ? t.nativeMemory.mallocBytes : null), fmt: bytes, num: true });
      cols.push({ label: "native held", get: (t) => (t.nativeMemory ? t.nativeMemory.outstandingBytes : null), fmt: bytes, num: true });
    }
    if (threads.some((t) => t.pageFaults)) {
      cols.push({ label: "page faults", get: (t) => (t.pageFaults ? t.pageFaults.faults : null), num: true });
    }
    s.append(table(cols, threads, { sortBy: threads.some((t) => t.cpu) ? 6 : 5 }));
  }


  function flameSection(name, p) {
    const time = p.unit === "ns";
    const fmt = (v) => (time ? ns(v) : int(v) + " " + p.unit);
    const titles = { cpu: "CPU", offcpu: "Off-CPU", "native-alloc": "Native allocations", alloc: "Java heap allocations", faults: "Page faults" };
    const s = section("flame-" + name, (titles[name] || name) + " flame graph",
      p.title + (p.shownStacks < p.allStacks ? " — the " + p.shownStacks + " heaviest of " + p.allStacks + " stacks shown" : "")
      + ". Root at the top; click a frame to zoom, the top bar to zoom out; search takes a regular expression.");
    // Threads by weight, heaviest first.
    const weight = new Array(p.threads.length).fill(0);
    for (const st of p.stacks) weight[st[0]] += st[1];
    const order = p.threads.map((t, i) => i).sort((a, b) => weight[b] - weight[a]);
    const select = el("select", { "aria-label": "thread", class: "thread-filter" }, el("option", { value: "", text: "all threads" }));
    for (const i of order) select.append(el("option", { value: p.threads[i], text: p.threads[i] + " (" + fmt(weight[i]) + ")" }));
    const search = el("input", { type: "search", placeholder: "search frames (regexp)", class: "flame-search" });
    const matched = el("span", { class: "note" });
    s.append(el("div", { class: "flame-controls" }, el("label", {}, "thread ", select), search, matched));
    const box = el("div", { class: "flame" });
    s.append(box);
    let zoom = null; // the node zoomed into
    let root = null;

    function build(thread) {
      const top = { name: "all", kind: "thread", value: 0, children: new Map(), depth: 0 };
      for (const st of p.stacks) {
        const tname = p.threads[st[0]];
        if (thread && tname !== thread) continue;
        top.value += st[1];
        let node = top.children.get(tname);
        if (!node) { node = { name: tname, kind: "thread", value: 0, children: new Map(), parent: top }; top.children.set(tname, node); }
        node.value += st[1];
        for (let i = 2; i < st.length; i++) {
          const f = p.frames[st[i]];
          const k = f[0] + "\u0000" + f[1];
          let child = node.children.get(k);
          if (!child) { child = { name: f[0], kind: f[1], value: 0, children: new Map(), parent: node }; node.children.set(k, child); }
          child.value += st[1];
          node = child;
        }
      }
      return top;
    }

    function draw() {
      const base = zoom || root;
      const width = box.clientWidth || 1000;
      const min = base.value / (width * 2); // narrower than half a pixel: not drawn
      let re = null;
      try { re = search.value ? new RegExp(search.value) : null; } catch (e) { re = null; }
      const frag = document.createDocumentFragment();
      let depth = 0, hit = 0;
      // The path from the root to the zoomed node, full width.
      const path = [];
      for (let n = base; n; n = n.parent) path.unshift(n);
      path.forEach((n, d) => frag.append(frame(n, 0, 100, d, re)));
      depth = path.length;
      function walk(node, left, d) {
        let x = left;
        const kids = [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const c of kids) {
          if (c.value >= min) {
            const w = (c.value / base.value) * 100;
            frag.append(frame(c, x, w, d, re));
            if (re && re.test(c.name)) hit += c.value;
            walk(c, x, d + 1);
            depth = Math.max(depth, d + 1);
          }
          x += (c.value / base.value) * 100;
        }
      }
      walk(base, 0, path.length);
      box.replaceChildren(frag);
      box.style.height = (depth * 17 + 4) + "px";
      matched.textContent = re ? "matched: " + fmt(Math.min(hit, base.value)) + " of " + fmt(base.value) : "";
    }

    function frame(n, left, width, depth, re) {
      const d = el("div", {
        class: "f k-" + n.kind + (re ? (re.test(n.name) ? " hit" : "") : ""),
        style: "left:" + left.toFixed(4) + "%;width:" + width.toFixed(4) + "%;top:" + depth * 17 + "px",
        title: n.name + " (" + n.kind + "): " + fmt(n.value) + ", " + ((n.value / root.value) * 100).toFixed(2) + "%",
      });
      d.textContent = n.name;
      d.addEventListener("click", () => { zoom = n.parent ? n : null; draw(); });
      return d;
    }

    function show() {
      root = build(select.value);
      zoom = null;
      draw();
    }
    select.addEventListener("change", show);
    search.addEventListener("input", draw);
    window.addEventListener("resize", draw);
    if (hash.get("thread") && [...select.options].some((o) => o.value === hash.get("thread"))) select.value = hash.get("thread");
    if (hash.get("search")) search.value = hash.get("search");
    show();
  }

  // ---- syscalls per thread ----
  const syscallRows = [];
  for (const t of threads) for (const c of t.syscalls || []) syscallRows.push(Object.assign({ thread: threadLabel(t) }, c));
  if (threads.some((t) => Array.isArray(t.syscalls))) {
    const s = section("syscalls", "Syscalls per thread", "Counted in the kernel, exactly; latency in log2 buckets (hover a bar for its range and count).");
    s.append(table([
      { label: "thread", get: (r) => r.thread },
      { label: "syscall", get: (r) => r.name },
      { label: "calls", get: (r) => r.count, num: true },
      { label: "errors", get: (r) => r.errors, num: true },
      { label: "total", get: (r) => r.totalNs, fmt: ns, num: true },
      { label: "mean", get: (r) => (r.count ? r.totalNs / r.count : null), fmt: ns, num: true },
      { label: "max", get: (r) => r.maxNs, fmt: ns, num: true },
      { label: "latency (log2)", get: (r) => r.maxNs, fmt: (v, r) => histogram(r.latencyLog2Ns) },
    ], syscallRows, { sortBy: 4 }));
  }

  // ---- files ----
  if (Array.isArray(summary.files)) {
    const s = section("files", "Files", "Reads, writes and syncs per file, socket and pipe, heaviest first.");
    s.append(table([
      { label: "path", get: (r) => r.path },
      { label: "kind", get: (r) => r.kind },
      { label: "read", get: (r) => r.bytesRead, fmt: bytes, num: true },
      { label: "written", get: (r) => r.bytesWritten, fmt: bytes, num: true },
      { label: "reads", get: (r) => r.reads, num: true },
      { label: "writes", get: (r) => r.writes, num: true },
      { label: "syncs", get: (r) => r.fsyncs, num: true },
      { label: "time", get: (r) => r.totalNs, fmt: ns, num: true },
      { label: "max", get: (r) => r.maxNs, fmt: ns, num: true },
      { label: "threads", get: (r) => (r.threads || []).map((t) => t.name).join(", ") },
    ], summary.files, { sortBy: 7 }));
  }

  // ---- child processes ----
  if (Array.isArray(summary.processes)) {
    const s = section("processes", "Child processes", "Every process a JVM thread started, in the order they started.");
    s.append(table([
      { label: "pid", get: (r) => r.pid, num: true },
      { label: "command", get: (r) => (r.argv || []).join(" ") },
      { label: "thread", get: (r) => r.thread },
      { label: "started", get: (r) => r.startedAt },
      { label: "exit", get: (r) => (r.exitCode != null ? r.exitCode : r.signal != null ? "signal " + r.signal : "running") },
      { label: "duration", get: (r) => r.durationNs, fmt: ns, num: true },
      { label: "CPU", get: (r) => r.cpuNs, fmt: ns, num: true },
    ], summary.processes));
  }

  // ---- connections (network), rendered from whatever fields the rows hold ----
  if (Array.isArray(summary.connections)) {
    const s = section("connections", "Connections");
    s.append(genericTable(summary.connections));
    const other = summary.connectionsOther || (summary.network && summary.network.other);
    if (other) s.append(el("p", { class: "note" }, "Beyond the table: ", kvLine(other)));
  }
  if (summary.network && typeof summary.network === "object") {
    const s = document.getElementById("connections") || section("network", "Network");
    s.append(el("p", { class: "note" }, "Network: ", kvLine(Object.fromEntries(Object.entries(summary.network).filter(([, v]) => typeof v !== "object")))));
  }

  // ---- memory: native blocks held (leak candidates), the Java heap ----
  if (summary.memory && typeof summary.memory === "object") {
    const m = summary.memory;
    const s = section("memory", "Memory", "The C library's allocator as the kernel traced it, and the Java heap as the JVM's own events tell it.");
    if (m.native) {
      s.append(el("p", { class: "note" }, "Native: ", kvLine(Object.fromEntries(Object.entries(m.native).filter(([, v]) => typeof v !== "object")))));
      if (m.native.topOutstanding && m.native.topOutstanding.length) {
        s.append(el("h3", { text: "Stacks holding the most native memory" }), table([
          { label: "thread", get: (r) => r.thread },
          { label: "held", get: (r) => r.bytes, fmt: bytes, num: true },
          { label: "blocks", get: (r) => r.allocations, num: true },
          { label: "oldest", get: (r) => r.oldestAt },
          { label: "stack (leaf first)", get: (r) => r.stack.join(" ← "), fmt: clip },
        ], m.native.topOutstanding, { sortBy: 1 }));
      }
    }
    if (m.pageFaults != null) s.append(el("p", { class: "note" }, "Page faults (user mode): " + int(m.pageFaults)));
    if (m.java) {
      s.append(el("p", { class: "note" }, "Java heap: ", kvLine(Object.fromEntries(Object.entries(m.java).filter(([, v]) => typeof v !== "object")))));
      if (m.java.topClasses && m.java.topClasses.length) {
        s.append(el("h3", { text: "Classes allocated most" }), table([
          { label: "class", get: (r) => r.class },
          { label: "bytes", get: (r) => r.bytes, fmt: bytes, num: true },
        ], m.java.topClasses, { sortBy: 1 }));
      }
      if (m.java.gcs && m.java.gcs.length) {
        s.append(el("h3", { text: "Collections" }), table([
          { label: "id", get: (r) => r.id, num: true },
          { label: "at", get: (r) => r.at },
          { label: "heap before", get: (r) => r.heapUsedBeforeBytes, fmt: bytes, num: true },
          { label: "heap after", get: (r) => r.heapUsedAfterBytes, fmt: bytes, num: true },
        ], m.java.gcs));
      }
      if (m.java.nmt) {
        s.append(el("h3", { text: "Native Memory Tracking" }), table([
          { label: "category", get: (r) => r[0] },
          { label: "reserved", get: (r) => r[1].reservedBytes, fmt: bytes, num: true },
          { label: "committed", get: (r) => r[1].committedBytes, fmt: bytes, num: true },
        ], Object.entries(m.java.nmt), { sortBy: 2 }));
      }
    }
  }

  // ---- CPU and off-CPU facts ----
  if (summary.cpu || summary.offCpu) {
    const s = section("profiles", "Profiler settings and shares");
    if (summary.cpu) s.append(el("h3", { text: "CPU" }), kv(Object.entries(summary.cpu).map(([k, v]) => [k, show(v)])));
    if (summary.offCpu) s.append(el("h3", { text: "Off-CPU" }), kv(Object.entries(summary.offCpu).map(([k, v]) => [k, show(v)])));
  }

  // ---- any key this page does not know yet: shown as data, so nothing in the report is hidden ----
  const known = new Set(["process", "agent", "cpu", "offCpu", "threads", "processes", "files", "connections", "connectionsOther", "network", "memory"]);
  for (const [k, v] of Object.entries(summary)) {
    if (known.has(k) || v == null) continue;
    const s = section("data-" + k, k);
    s.append(Array.isArray(v) && v.length && typeof v[0] === "object" ? genericTable(v) : el("pre", { text: JSON.stringify(v, null, 2) }));
  }

  function show(v) {
    return v != null && typeof v === "object" ? JSON.stringify(v) : v == null ? "null" : String(v);
  }
  function kvLine(o) {
    return Object.entries(o).map(([k, v]) => k + " " + (isNum(v) ? int(v) : show(v))).join(", ");
  }
  // A table of objects: one column per leaf field ("remote.port"), numbers right-aligned.
  function genericTable(rows) {
    const flat = rows.map((r) => flatten(r, "", {}));
    const keys = [];
    for (const r of flat) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
    return table(keys.map((k) => {
      const num = flat.some((r) => isNum(r[k]));
      const fmt = /bytes/i.test(k) ? bytes : /Ns$/.test(k) ? ns : /Us$/.test(k) ? (v) => (isNum(v) ? ns(v * 1000) : v) : null;
      return { label: k, get: (r) => r[k], num: num, fmt: fmt ? (v) => fmt(v) : num ? undefined : clip };
    }), flat);
  }
  function flatten(o, prefix, into) {
    for (const [k, v] of Object.entries(o)) {
      if (v != null && typeof v === "object" && !Array.isArray(v)) flatten(v, prefix + k + ".", into);
      else into[prefix + k] = Array.isArray(v) ? v.map(show).join("; ") : v;
    }
    return into;
  }
  // A long text in a cell: its start, the whole on hover.
  function clip(v) {
    const text = v == null ? "" : String(v);
    return text.length > 120 ? el("span", { title: text, text: text.slice(0, 117) + "…" }) : text;
  }
})();
