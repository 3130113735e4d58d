import { initAll } from '../govuk/govuk-frontend.min.js'
import { initAll as initMojFrontend } from '../moj/moj-frontend.min.js'
initAll()
initMojFrontend()
// A long list of choices becomes a box that finds as you type (GOV.UK's accessible-autocomplete);
// without JavaScript it stays the select it is.
if (window.accessibleAutocomplete) {
  document.querySelectorAll('select[data-autocomplete]').forEach((selectElement) =>
    window.accessibleAutocomplete.enhanceSelectElement({ selectElement, defaultValue: '', showAllValues: true }))
}
