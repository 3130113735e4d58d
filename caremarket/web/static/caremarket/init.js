import { createAll, initAll } from '../govuk/govuk-frontend.min.js'
import { FilterToggleButton, initAll as initMojFrontend } from '../moj/moj-frontend.min.js'
initAll()
initMojFrontend()
// A list's filter: beside the list on a wide screen; on a phone behind a "Show filter" button,
// so that it does not cover the list (the MOJ filter toggle, which initAll leaves out).
createAll(FilterToggleButton)
// A long list of choices becomes a box that finds as you type (GOV.UK's accessible-autocomplete);
// without JavaScript it stays the select it is.
if (window.accessibleAutocomplete) {
  document.querySelectorAll('select[data-autocomplete]').forEach((selectElement) =>
    window.accessibleAutocomplete.enhanceSelectElement({ selectElement, defaultValue: '', showAllValues: true }))
}
