// Entry point: nav bar, hash router, scenario picker.

import './style.css';
import { apiGet, initToken, ScenarioSummary } from './api';
import { disposeCharts } from './charts';
import { el, message } from './dom';
import { state, refreshRuns } from './state';
import { renderOverview } from './pages/overview';
import { renderDesigns } from './pages/designs';
import { renderSupply } from './pages/supply';
import { renderBottlenecks } from './pages/bottlenecks';
import { renderRisk } from './pages/risk';
import { renderRuns } from './pages/runs';
import { renderLoad } from './pages/load';
import { renderExceptions } from './pages/exceptions';
import { renderPromise } from './pages/promise';
import { renderEdit } from './pages/edit';

type Page = (root: HTMLElement, args: string[]) => Promise<void>;

const PAGES: { route: string; title: string; render: Page }[] = [
  { route: 'overview', title: 'Overview', render: renderOverview },
  { route: 'designs', title: 'Designs', render: renderDesigns },
  { route: 'supply', title: 'Supply', render: renderSupply },
  { route: 'load', title: 'Load by line', render: renderLoad },
  { route: 'exceptions', title: 'Exceptions', render: renderExceptions },
  { route: 'promise', title: 'Promise dates', render: renderPromise },
  { route: 'bottlenecks', title: 'Bottlenecks & late demand', render: renderBottlenecks },
  { route: 'risk', title: 'Risk', render: renderRisk },
  { route: 'runs', title: 'Runs', render: renderRuns },
  { route: 'edit', title: 'Edit scenario', render: renderEdit },
];

const app = document.getElementById('app')!;
const nav = document.getElementById('nav')!;
const picker = document.getElementById('scenario-select') as HTMLSelectElement;
let renderToken = 0;

function buildNav(): void {
  for (const page of PAGES) nav.append(el('a', { href: `#/${page.route}`, 'data-route': page.route }, page.title));
}

async function route(): Promise<void> {
  const parts = window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const page = PAGES.find((p) => p.route === parts[0]) ?? PAGES[0];
  nav.querySelectorAll('a').forEach((a) => {
    if (a.dataset.route === page.route) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  document.title = `${page.title} · rackforge`;
  const token = ++renderToken;
  disposeCharts();
  const root = el('div', { class: 'page', 'data-page': page.route });
  app.replaceChildren(root);
  root.append(el('h1', {}, page.title));
  try {
    await page.render(root, parts.slice(1));
  } catch (error) {
    if (token === renderToken) root.append(message(`Could not load this page: ${(error as Error).message}`, 'error'));
  }
}

function fillPicker(): void {
  picker.replaceChildren(...state.scenarios.map((s) => el('option', { value: s.id }, `${s.name} (${s.id})`)));
  picker.value = state.scenarioId;
}

async function start(): Promise<void> {
  initToken();
  buildNav();
  try {
    state.scenarios = await apiGet<ScenarioSummary[]>('/api/scenarios');
    await refreshRuns();
  } catch (error) {
    app.replaceChildren(message(`Cannot reach the rackforge API: ${(error as Error).message}`, 'error'));
    return;
  }
  // Open on the scenario of the latest run (or the first scenario).
  const latest = [...state.runs].sort((a, b) => (a.created_at < b.created_at ? 1 : -1))[0];
  state.scenarioId = latest?.scenario_id ?? state.scenarios[0]?.id ?? '';
  fillPicker();
  // The edit page saved a scenario (or opened a run of one): the list and the choice follow.
  document.addEventListener('rackforge:scenarios-changed', () => void apiGet<ScenarioSummary[]>('/api/scenarios').then((list) => {
    state.scenarios = list;
    fillPicker();
  }));
  picker.addEventListener('change', () => {
    state.scenarioId = picker.value;
    state.runId = '';
    // Drop a run id from the address: it belongs to the previous scenario.
    const page = window.location.hash.replace(/^#\/?/, '').split('/')[0];
    if (window.location.hash.split('/').length > 2) window.location.hash = `#/${page}`;
    else void route();
  });
  window.addEventListener('hashchange', () => void route());
  await route();
}

void start();
