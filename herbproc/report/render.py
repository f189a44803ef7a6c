"""The report's HTML: one self-contained page (inline CSS) next to its PNG figures."""

from __future__ import annotations

from jinja2 import Environment, select_autoescape

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
:root { --ink:#1f2a24; --muted:#5f6b64; --line:#dfe5e1; --accent:#2f6b47; --bad:#a33a2b; --paper:#fbfaf6; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--paper); }
header { background:var(--accent); color:#fff; padding:22px 32px; }
header h1 { margin:0; font-size:24px; font-weight:600; }
header p { margin:4px 0 0; opacity:.85; font-size:13px; }
main { max-width:1100px; margin:0 auto; padding:20px 32px 60px; }
nav { margin:16px 0 8px; display:flex; flex-wrap:wrap; gap:8px; }
nav a.skipped { color:var(--muted); border-style:dashed; }
nav a { text-decoration:none; color:var(--accent); border:1px solid var(--line); background:#fff; border-radius:14px; padding:2px 12px; font-size:13px; }
section.stage { background:#fff; border:1px solid var(--line); border-radius:10px; padding:18px 22px; margin:18px 0; }
section.stage h2 { margin:0 0 2px; font-size:19px; }
.desc { color:var(--muted); margin:0 0 12px; }
.kpis { display:flex; flex-wrap:wrap; gap:10px; margin:10px 0 14px; }
.kpi { border:1px solid var(--line); border-radius:8px; padding:6px 12px; min-width:110px; }
.kpi b { display:block; font-size:18px; }
.kpi span { color:var(--muted); font-size:12px; }
.kpi.bad b { color:var(--bad); }
table { border-collapse:collapse; width:100%; margin:8px 0 12px; font-size:13px; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
code, .mono { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12px; }
img { max-width:100%; height:auto; }
.grid { display:grid; grid-template-columns:repeat(auto-fill,minmax(180px,1fr)); gap:10px; }
.grid figure { margin:0; } .grid figcaption { font-size:12px; color:var(--muted); }
.warn { color:var(--bad); }
h3 { font-size:15px; margin:16px 0 6px; }
</style></head>
<body>
<header><h1>{{ title }}</h1><p>{{ run_dir }} &middot; generated {{ generated }}</p></header>
<main>
{% if not stages %}<p>No stage has run in this directory yet.</p>{% endif %}
<nav>{% for s, _ in stages %}<a href="#{{ s.name }}"{% if s.skipped %} class="skipped" title="skipped"{% endif %}>{{ s.name }}{% if s.skipped %} (skipped){% endif %}</a>{% endfor %}</nav>
{% for s, figure in stages %}
<section class="stage" id="{{ s.name }}">
  <h2>{{ s.name }}{% if s.skipped %} <small class="warn">skipped</small>{% endif %}</h2>
  {% if s.description %}<p class="desc">{{ s.description }}</p>{% endif %}
  {% if not s.skipped %}<div class="kpis">
    <div class="kpi"><b>{{ s.done_shards }}/{{ s.shards }}</b><span>shards done</span></div>
    <div class="kpi"><b>{{ s.items - s.failed }}</b><span>items done</span></div>
    <div class="kpi {{ 'bad' if s.failed else '' }}"><b>{{ s.failed }}</b><span>items failed</span></div>
    <div class="kpi"><b>{{ fmt(s.wall_s) }}</b><span>wall time</span></div>
    <div class="kpi"><b>{{ fmt(s.busy_s) }}</b><span>shard time (sum)</span></div>
    <div class="kpi"><b>{{ '%.2f' % s.items_per_s }}</b><span>items / s</span></div>
  </div>{% endif %}
  {% if s.skipped %}<p class="warn"><b>Skipped:</b> {{ s.skipped }}. The stages after it went on; to decide again
  once the reason is gone, relaunch it with <code>stage={{ s.name }} stage.rerun=true</code>.</p>{% endif %}
  {% if s.section_error %}<p class="warn">This stage's own section could not be drawn: <code>{{ s.section_error }}</code></p>{% endif %}
  {{ s.section_html | safe }}
  {% if s.reasons %}
  <h3>Failures by reason</h3>
  <table><tr><th>reason</th><th class="num">items</th><th>example</th></tr>
  {% for r, c, ex in s.reasons %}<tr><td><code>{{ r }}</code></td><td class="num">{{ c }}</td><td class="mono">{{ ex[:200] }}</td></tr>{% endfor %}
  </table>
  <details><summary>failed items ({{ s.failures|length }} shown; all in <code>{{ s.name }}/failures.csv</code>)</summary>
  <table><tr><th>item</th><th>shard</th><th>reason</th><th>error</th></tr>
  {% for f in s.failures %}<tr><td class="mono">{{ f.id }}</td><td>{{ f.shard }}</td><td>{{ f.reason }}</td><td class="mono">{{ (f.error or '')[:300] }}</td></tr>{% endfor %}
  </table></details>
  {% endif %}
  {% if figure and not s.skipped %}<h3>Time per shard</h3><img src="{{ figure }}" alt="seconds per shard of {{ s.name }}">{% endif %}
</section>
{% endfor %}
</main></body></html>
"""

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def render_page(**context) -> str:
    return _env.from_string(TEMPLATE).render(**context)
