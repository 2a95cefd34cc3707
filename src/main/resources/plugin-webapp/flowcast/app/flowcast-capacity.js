// Flowcast's elastic pools on the Cockpit dashboard: each pool's units (wanted by the capacity
// planner, provisioned, ready) and their course over the last hours. A plain ES module of its own,
// imported by flowcast-plugin.js, reading GET /flowcast/api/capacity/* with the Cockpit session. Every
// string from the API reaches the page as a text node; the chart is an <img> of server-drawn SVG.

const HOURS_SHOWN = 6;

function apiBase() {
  const base = document.querySelector('base');
  const appRoot = (base && base.getAttribute('app-root')) || '/camunda';
  const root = new URL(appRoot.replace(/\/$/, '') + '/', window.location.origin);
  return new URL('../flowcast/api', root).pathname;
}

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    element.setAttribute(name, String(value));
  }
  for (const child of children) {
    element.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function units(value) {
  return value === null || value === undefined ? '–' : String(value);
}

function poolsView(status) {
  const rows = Object.values(status.pools || {}).map(pool => h('tr', {'data-pool': pool.pool},
    h('td', null, pool.pool), h('td', null, units(pool.desiredUnits)), h('td', null, units(pool.provisionedUnits)),
    h('td', null, units(pool.readyUnits)), h('td', null, pool.minUnits + '–' + pool.maxUnits),
    h('td', null, pool.unitVcpu + ' vCPU / ' + pool.unitMemoryMb + ' MB')));
  const mode = status.acting ? 'sizes asked of ' + status.provider : 'sizes not asked for (' + status.provider
    + (status.provider === 'fixed' ? ': the catalog\'s capacity' : ', shadow mode') + ')';
  return h('div', {class: 'flowcast', 'data-flowcast': 'elastic-pools'},
    h('h4', null, 'Elastic pools'),
    h('p', {class: 'text-muted'}, 'Planner ' + status.planner + '; ' + mode + '.'),
    rows.length ? h('table', {class: 'table table-condensed'},
      h('thead', null, h('tr', null, ...['Pool', 'Wanted', 'Provisioned', 'Ready', 'Min–max', 'Unit']
        .map(title => h('th', null, title)))),
      h('tbody', null, ...rows)) : h('p', null, 'No elastic pool in the price catalog.'),
    h('img', {src: apiBase() + '/capacity/history.svg?hours=' + HOURS_SHOWN, alt: 'Elastic pool sizes over time',
      'data-flowcast': 'pool-sizes-chart', style: 'max-width: 100%'}));
}

export default {
  id: 'flowcast.dashboard.capacity',
  pluginPoint: 'cockpit.dashboard',
  priority: 4,
  render: node => {
    fetch(apiBase() + '/capacity/pools', {
      credentials: 'same-origin',
      headers: {Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest'}
    }).then(response => response.ok ? response.json() : Promise.reject(new Error(response.status + ' '
        + response.statusText)))
      .then(status => node.replaceChildren(poolsView(status)))
      .catch(error => node.replaceChildren(h('div', {class: 'flowcast alert alert-warning'},
        'Elastic pools cannot be read: ' + error.message)));
  },
  unmount: () => {}
};
