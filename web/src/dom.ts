// Tiny DOM helpers: elements, accessible tables, cards.

type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

export interface Column<T> {
  header: string;
  cell: (row: T) => Node | string;
  numeric?: boolean;
  rowHeader?: boolean;
}

/// A table with a caption, `th scope="col"` headers, a row header per row and
/// focusable rows (Tab / arrow keys move between rows; Enter calls onActivate).
export function table<T>(caption: string, columns: Column<T>[], rows: T[], options: {
  onActivate?: (row: T, tr: HTMLTableRowElement) => void;
  rowClass?: (row: T) => string;
  testId?: string;
} = {}): HTMLElement {
  const head = el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : '' }, c.header)));
  const body = el('tbody');
  rows.forEach((row) => {
    const tr = el('tr', { tabindex: 0, class: options.rowClass?.(row) ?? '' });
    for (const c of columns) {
      const content = c.cell(row);
      const cell = c.rowHeader
        ? el('th', { scope: 'row', class: c.numeric ? 'num' : '' }, content)
        : el('td', { class: c.numeric ? 'num' : '' }, content);
      tr.append(cell);
    }
    tr.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') (tr.nextElementSibling as HTMLElement | null)?.focus();
      else if (event.key === 'ArrowUp') (tr.previousElementSibling as HTMLElement | null)?.focus();
      else if (event.key === 'Enter' && options.onActivate) options.onActivate(row, tr);
      else return;
      event.preventDefault();
    });
    if (options.onActivate) tr.addEventListener('click', () => options.onActivate!(row, tr));
    body.append(tr);
  });
  const t = el('table', { 'data-testid': options.testId }, el('caption', {}, caption), el('thead', {}, head), body);
  if (rows.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: columns.length, class: 'empty' }, 'Nothing to show.')));
  }
  return el('div', { class: 'table-wrap' }, t);
}

export function card(title: string, ...children: (Node | string | null)[]): HTMLElement {
  return el('section', { class: 'card' }, el('h2', {}, title), ...children);
}

export function kpi(label: string, value: string, testId?: string): HTMLElement {
  return el('div', { class: 'kpi', 'data-testid': testId }, el('span', { class: 'kpi-value' }, value), el('span', { class: 'kpi-label' }, label));
}

export function badge(pass: boolean | null | undefined): HTMLElement {
  if (pass === null || pass === undefined) return el('span', { class: 'badge na' }, 'n/a');
  return el('span', { class: pass ? 'badge pass' : 'badge fail' }, pass ? 'pass' : 'fail');
}

export function message(text: string, kind: 'info' | 'error' = 'info'): HTMLElement {
  return el('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : undefined }, text);
}

export interface SortColumn<T> extends Column<T> {
  /// Sort key; columns without one are not sortable.
  sort?: (row: T) => number | string;
}

/// A table whose headers sort the rows (click or Enter on a header; again to reverse),
/// with aria-sort on the sorted column. Starts sorted by `initial` ascending when given.
export function sortableTable<T>(caption: string, columns: SortColumn<T>[], rows: T[], options: {
  rowClass?: (row: T) => string;
  testId?: string;
  initial?: number;
} = {}): HTMLElement {
  const wrap = el('div');
  let sortBy = options.initial ?? -1;
  let ascending = true;
  const render = () => {
    const sorted = rows.slice();
    const key = columns[sortBy]?.sort;
    if (key) {
      sorted.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return ascending ? order : -order;
      });
    }
    const built = table(caption, columns, sorted, { rowClass: options.rowClass, testId: options.testId });
    built.querySelectorAll('thead th').forEach((th, i) => {
      const column = columns[i];
      if (!column.sort) return;
      const button = el('button', { type: 'button', class: 'sort', 'data-sort': i }, column.header);
      th.replaceChildren(button);
      if (i === sortBy) th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      button.addEventListener('click', () => {
        ascending = sortBy === i ? !ascending : true;
        sortBy = i;
        render();
        (wrap.querySelector(`button[data-sort="${i}"]`) as HTMLElement | null)?.focus();
      });
    });
    wrap.replaceChildren(built);
  };
  render();
  return wrap;
}
