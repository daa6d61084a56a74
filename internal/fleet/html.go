package fleet

import (
	"bufio"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// HTML writes the fleet as one self-contained page: inline style and
// script, no external asset (a Content-Security-Policy forbids loading
// any), a table of workstations sortable by every column, and under each
// workstation, one click away, its problems with the findings, fixes and
// commands. html/template escapes every value from the inputs (hostnames,
// subjects, messages are untrusted) for its context.
func HTML(w io.Writer, s *Summary, o RenderOptions) error {
	lang := o.Lang
	if lang == "" {
		lang = i18n.RU
	}
	index := map[string]int{}
	for i, ws := range s.Workstations {
		if _, ok := index[ws.Name]; !ok {
			index[ws.Name] = i
		}
	}
	funcs := template.FuncMap{
		"t":    func(key string, args ...any) string { return o.t(key, args...) },
		"rank": Rank,
		"ws":   func(name string) int { return index[name] },
		"soonest": func(ws Workstation) *Expiry {
			if len(ws.Expiries) == 0 {
				return nil
			}
			return &ws.Expiries[0]
		},
		"join": strings.Join,
		"level": func(days int) string {
			switch {
			case days < s.Thresholds.CritDays:
				return "fail"
			case days < s.Thresholds.WarnDays:
				return "warn"
			}
			return "ok"
		},
	}
	tpl, err := template.New("fleet").Funcs(funcs).Parse(pageTemplate)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	data := struct {
		*Summary
		Lang      string
		Generated string
		Version   string
	}{s, string(lang), s.GeneratedAt.Format(time.RFC3339), o.ToolVersion}
	if err := tpl.Execute(bw, data); err != nil {
		return err
	}
	return bw.Flush()
}

const pageTemplate = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gmu-doctor {{.Version}}">
<title>{{t "fleet.title"}}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:1.5em;color:#1d1d1f;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.6em 0 .5em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #e3e3e3;vertical-align:top}
th{background:#f4f5f7;position:sticky;top:0}th.sortable{cursor:pointer;user-select:none}th.sortable:after{content:" \2195";color:#999}
th[aria-sort=ascending]:after{content:" \25B2";color:#333}th[aria-sort=descending]:after{content:" \25BC";color:#333}
td.num,th.num{text-align:right}.muted{color:#666}.totals span{margin-right:1.2em}
.badge{display:inline-block;padding:.05em .55em;border-radius:.8em;font-weight:600;font-size:.9em}
.st-ok{background:#e3f6e5;color:#17672a}.st-warn{background:#fff4d6;color:#7a5300}.st-fail{background:#fde2e1;color:#9b1c1c}
.st-error{background:#efe3fb;color:#5b2a86}.st-unreadable{background:#e7e7e7;color:#333}
button.toggle{font:inherit;background:none;border:0;padding:0;color:#0b57d0;cursor:pointer;text-align:left}
button.toggle:before{content:"\25B8 ";color:#666}button.toggle[aria-expanded=true]:before{content:"\25BE "}
tr.details td{background:#fafafa}.problem{margin:.4em 0 .8em}.problem h4{margin:.2em 0;font-size:1em}
.finding{margin:.3em 0 .3em 1em}.hint{margin:.15em 0}pre{background:#f0f0f0;padding:.4em .6em;white-space:pre-wrap;word-break:break-all;margin:.2em 0}
</style>
</head>
<body>
<h1>{{t "fleet.title"}}</h1>
<p class="totals"><span>{{t "fleet.html.total" (index .Totals "total")}}</span><span class="badge st-ok">{{t "fleet.status.ok"}}: {{index .Totals "ok"}}</span> <span class="badge st-warn">{{t "fleet.status.warn"}}: {{index .Totals "warn"}}</span> <span class="badge st-fail">{{t "fleet.status.fail"}}: {{index .Totals "fail"}}</span> <span class="badge st-error">{{t "fleet.status.error"}}: {{index .Totals "error"}}</span> <span class="badge st-unreadable">{{t "fleet.status.unreadable"}}: {{index .Totals "unreadable"}}</span></p>
<p class="muted">{{t "fleet.html.hint"}}</p>

<h2>{{t "fleet.section.workstations"}}</h2>
<table id="workstations">
<thead><tr>
<th class="sortable" data-type="text">{{t "fleet.col.workstation"}}</th>
<th class="sortable" data-type="num">{{t "fleet.col.status"}}</th>
<th class="sortable" data-type="text">{{t "fleet.col.os"}}</th>
<th class="sortable num" data-type="num">{{t "fleet.col.failed"}}</th>
<th class="sortable num" data-type="num">{{t "fleet.col.warnings"}}</th>
<th class="sortable" data-type="text">{{t "fleet.col.failing"}}</th>
<th class="sortable num" data-type="num">{{t "fleet.col.soonest"}}</th>
<th class="sortable" data-type="text">{{t "fleet.col.checked"}}</th>
</tr></thead>
{{range $i, $w := .Workstations}}<tbody class="ws" id="ws-{{$i}}" data-name="{{$w.Name}}" data-status="{{$w.Status}}">
<tr class="row">
<td data-v="{{$w.Name}}"><button class="toggle" type="button" aria-expanded="false" aria-controls="details-{{$i}}">{{$w.Name}}</button></td>
<td data-v="{{rank $w.Status}}"><span class="badge st-{{$w.Status}}">{{t (print "fleet.status." $w.Status)}}</span></td>
<td data-v="{{$w.OS}} {{$w.OSVersion}}">{{$w.OS}} {{$w.OSVersion}}</td>
<td class="num" data-v="{{$w.Counts.Fail}}.{{$w.Counts.Error}}">{{$w.Counts.Fail}}{{if $w.Counts.Error}} + {{$w.Counts.Error}}?{{end}}</td>
<td class="num" data-v="{{$w.Counts.Warn}}">{{$w.Counts.Warn}}</td>
<td data-v="{{join $w.Failing " "}}">{{join $w.Failing ", "}}</td>
{{with soonest $w}}<td class="num" data-v="{{.Days}}"><span class="badge st-{{level .Days}}">{{.Days}}</span></td>{{else}}<td class="num" data-v="999999"></td>{{end}}
<td data-v="{{$w.CheckedAt}}">{{$w.CheckedAt}}</td>
</tr>
<tr class="details" id="details-{{$i}}" hidden><td colspan="8">
<div class="muted">{{t "fleet.html.file"}}: {{$w.File}}{{if $w.ToolVersion}} · gmu-doctor {{$w.ToolVersion}}{{end}}</div>
{{if $w.Error}}<p class="badge st-unreadable">{{$w.Error}}</p>{{end}}
{{range $w.Problems}}<div class="problem"><h4><span class="badge st-{{.Status}}">{{t (print "fleet.status." .Status)}}</span> {{.Title}} <span class="muted">({{.ID}})</span></h4>
{{if .Reason}}<div class="finding">{{.Reason}}</div>{{end}}
{{range .Findings}}<div class="finding"><div>{{.Message}}</div>{{if .Hint}}<div class="hint"><b>{{t "fleet.html.fix"}}</b> {{.Hint}}</div>{{end}}{{if .Commands}}<pre>{{join .Commands "\n"}}</pre>{{end}}{{if .URL}}<div><a href="{{.URL}}" rel="noreferrer noopener" target="_blank">{{.URL}}</a></div>{{end}}</div>{{end}}
</div>{{else}}{{if not $w.Error}}<p>{{t "fleet.html.no-problems"}}</p>{{end}}{{end}}
{{if $w.Expiries}}<div class="muted">{{t "fleet.html.expiries"}}: {{range $j, $e := $w.Expiries}}{{if $j}}; {{end}}{{t (print "fleet.kind." $e.Kind)}} {{$e.Subject}} — {{$e.Days}}{{end}}</div>{{end}}
</td></tr>
</tbody>
{{end}}</table>

<h2>{{t "fleet.section.checks"}}</h2>
{{if .Checks}}<table id="checks">
<thead><tr><th class="sortable" data-type="text">{{t "fleet.col.check"}}</th><th class="sortable num" data-type="num">{{t "fleet.col.fail"}}</th><th class="sortable num" data-type="num">{{t "fleet.col.error"}}</th><th class="sortable num" data-type="num">{{t "fleet.col.warn"}}</th><th>{{t "fleet.col.where"}}</th></tr></thead>
{{range .Checks}}<tbody><tr><td data-v="{{.ID}}">{{.Title}} <span class="muted">({{.ID}})</span></td><td class="num" data-v="{{.Fail}}">{{.Fail}}</td><td class="num" data-v="{{.Error}}">{{.Error}}</td><td class="num" data-v="{{.Warn}}">{{.Warn}}</td>
<td>{{range $j, $n := .Failing}}{{if $j}}, {{end}}<a href="#ws-{{ws $n}}">{{$n}}</a>{{end}}</td></tr></tbody>
{{end}}</table>{{else}}<p>{{t "fleet.html.no-problems"}}</p>{{end}}

<h2>{{t "fleet.section.expiring"}}</h2>
{{if .Expiring}}<table id="expiring">
<thead><tr><th class="sortable num" data-type="num">{{t "fleet.col.days"}}</th><th class="sortable" data-type="text">{{t "fleet.col.workstation"}}</th><th class="sortable" data-type="text">{{t "fleet.col.kind"}}</th><th class="sortable" data-type="text">{{t "fleet.col.subject"}}</th><th>SHA-1</th><th>{{t "fleet.col.store"}}</th></tr></thead>
{{range .Expiring}}<tbody><tr><td class="num" data-v="{{.Days}}"><span class="badge st-{{level .Days}}">{{.Days}}</span></td><td data-v="{{.Workstation}}"><a href="#ws-{{ws .Workstation}}">{{.Workstation}}</a></td><td data-v="{{.Kind}}">{{t (print "fleet.kind." .Kind)}}</td><td data-v="{{.Subject}}">{{.Subject}}</td><td>{{.SHA1}}</td><td>{{.Store}}</td></tr></tbody>
{{end}}</table>{{else}}<p>{{t "fleet.html.none"}}</p>{{end}}

<p class="muted">{{t "fleet.html.generated" .Generated .Version}}</p>
<script>
(function () {
  "use strict";
  function value(tbody, col) {
    var cell = tbody.rows[0].cells[col];
    return cell ? (cell.getAttribute("data-v") || cell.textContent) : "";
  }
  function sortBy(table, th, dir) {
    var col = th.cellIndex, num = th.getAttribute("data-type") === "num";
    var bodies = Array.prototype.slice.call(table.tBodies);
    bodies.sort(function (a, b) {
      var x = value(a, col), y = value(b, col), c;
      if (num) { c = parseFloat(x) - parseFloat(y); } else { c = x.localeCompare(y); }
      if (isNaN(c)) { c = 0; }
      return dir === "descending" ? -c : c; // Array.prototype.sort is stable: ties keep their order
    });
    bodies.forEach(function (b) { table.appendChild(b); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    table.setAttribute("data-sorted", col + ":" + dir);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table"), function (table) {
    if (!table.tHead) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (!th.classList.contains("sortable")) { return; }
      th.tabIndex = 0;
      var go = function () { sortBy(table, th, th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending"); };
      th.addEventListener("click", go);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
    });
  });
  function show(tbody, open) {
    var btn = tbody.querySelector("button.toggle"), det = tbody.querySelector("tr.details");
    if (!btn || !det) { return; }
    det.hidden = !open;
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  }
  Array.prototype.forEach.call(document.querySelectorAll("tbody.ws"), function (tbody) {
    tbody.querySelector("button.toggle").addEventListener("click", function () {
      show(tbody, tbody.querySelector("tr.details").hidden);
    });
  });
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1)), el = id && document.getElementById(id);
    if (el && el.classList.contains("ws")) { show(el, true); }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  var ws = document.getElementById("workstations");
  if (ws) {
    sortBy(ws, ws.tHead.rows[0].cells[1], "ascending");
    ws.setAttribute("data-ready", "1");
  }
}());
</script>
</body>
</html>
`
