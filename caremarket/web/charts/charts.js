// Draws each chart on the page from the Vega-Lite specifications in #cm-chart-specs.
// Vega's expression interpreter stands in for its code generator, so the site's content
// security policy needs no 'unsafe-eval'; the default styles are off because the policy
// allows no inline <style> (caremarket.css styles the tooltip instead).
// Built into var/build/charts/charts.js by `make install` (esbuild).
import embed from 'vega-embed'
import { expressionInterpreter } from 'vega-interpreter'

const specs = JSON.parse(document.getElementById('cm-chart-specs')?.textContent || '{}')
document.querySelectorAll('[data-chart]').forEach((element) => {
  const spec = specs[element.dataset.chart]
  if (!spec) return
  embed(element, spec, {
    renderer: 'svg',
    actions: false,
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true }
  }).then(() => {
    // A layer with nothing to draw (no budget set, no target) is an empty, unlabelled group:
    // hide it from assistive technology rather than announce an image with no name.
    element.querySelectorAll('g.role-mark[role]:empty').forEach((group) => group.setAttribute('aria-hidden', 'true'))
    element.setAttribute('data-drawn', '')
  })
    .catch(() => { element.hidden = true }) // the table below it says the same
})
