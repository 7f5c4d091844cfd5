// The query page: pick an example or write a query, run it against the endpoint, see a table.
// Plain JavaScript, no dependencies, nothing fetched from elsewhere. Results are written with
// textContent only, so nothing in the data can become markup.
(function () {
  "use strict";
  const script = document.currentScript;
  const endpoint = script.dataset.endpoint;
  const base = script.dataset.base;
  const local = script.dataset.local;
  const examples = JSON.parse(document.getElementById("examples").textContent);
  const formats = JSON.parse(document.getElementById("formats").textContent);
  const downloads = document.getElementById("downloads");
  const dateTypes = ["date", "dateTime", "gYear", "gYearMonth"].map(function (t) {
    return "http://www.w3.org/2001/XMLSchema#" + t;
  });
  const picker = document.getElementById("example");
  const editor = document.getElementById("query");
  const described = document.getElementById("description");
  const status = document.getElementById("status");
  const output = document.getElementById("output");

  function choose(index) {
    const example = examples[index];
    if (!example) return;
    editor.value = example.query;
    described.textContent = example.description;
    updateDownloads();
  }

  // SELECT and ASK answer with solutions, CONSTRUCT and DESCRIBE with a graph: each has its own formats.
  function queryForm(text) {
    const code = text.split("\n").map(function (line) { return line.replace(/#[^>]*$/, ""); }).join("\n");
    const found = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(code);
    return found && /^(CONSTRUCT|DESCRIBE)$/i.test(found[1]) ? "graph" : "solutions";
  }

  function updateDownloads() {
    const links = formats[queryForm(editor.value)].map(function (format) {
      const link = document.createElement("a");
      link.dataset.format = format[0];
      link.textContent = format[1];
      link.href = endpoint + "?" + new URLSearchParams({ query: editor.value, format: format[0] }).toString();
      return link;
    });
    downloads.replaceChildren("Download:", ...links);
  }

  function termCell(term) {
    const cell = document.createElement("td");
    if (!term) return cell;
    const ours = term.type === "uri" && term.value.startsWith(base);
    if (ours || (term.type === "uri" && /^https?:\/\//i.test(term.value))) {
      // only web IRIs become links: the data may hold <javascript:...>, which a click would run here
      const link = document.createElement("a");
      link.href = ours ? local + term.value.slice(base.length) : term.value;
      link.textContent = ours ? "id:" + term.value.slice(base.length) : term.value;
      cell.appendChild(link);
    } else {
      cell.textContent = term.value;
      if (term.datatype) cell.title = term.datatype;
      if (dateTypes.includes(term.datatype)) cell.className = "date";
    }
    return cell;
  }

  function showTable(data) {
    const table = document.createElement("table");
    table.id = "results";
    const head = table.createTHead().insertRow();
    data.head.vars.forEach(function (name) {
      const th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    });
    const body = table.createTBody();
    data.results.bindings.forEach(function (binding) {
      const row = body.insertRow();
      data.head.vars.forEach(function (name) { row.appendChild(termCell(binding[name])); });
    });
    output.replaceChildren(table);
    status.textContent = data.results.bindings.length + " rows";
  }

  async function run() {
    status.className = "";
    status.textContent = "Running…";
    output.replaceChildren();
    const started = performance.now();
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9"
        },
        body: new URLSearchParams({ query: editor.value })
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        status.className = "error";
        status.textContent = response.status + ": " + (await response.text());
        return;
      }
      if (type.startsWith("application/sparql-results+json")) {
        const data = await response.json();
        if ("boolean" in data) {
          status.textContent = "Answer: " + data.boolean;
        } else {
          showTable(data);
        }
      } else {
        const pre = document.createElement("pre");
        pre.textContent = await response.text();
        output.replaceChildren(pre);
        status.textContent = "";
      }
      status.textContent += " (" + Math.round(performance.now() - started) + " ms)";
    } catch (error) {
      status.className = "error";
      status.textContent = "The endpoint could not be reached: " + error;
    }
  }

  picker.addEventListener("change", function () { choose(Number(picker.value)); });
  editor.addEventListener("input", updateDownloads);
  document.getElementById("run").addEventListener("click", run);
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  choose(0);
})();
