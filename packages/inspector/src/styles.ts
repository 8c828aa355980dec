/**
 * The panel's styles, scoped to its root element (`.sb-inspector`), so the inspector looks the
 * same in any shell and leaks nothing into it. The shell sizes the element it mounts into.
 */
export const INSPECTOR_CSS = `
.sb-inspector { display: flex; flex-direction: column; gap: 0.75rem; min-height: 0; flex: 1 1 auto; }
.sb-inspector [hidden] { display: none !important; }
.sb-inspector .inspector-head .actions { margin-left: auto; display: flex; gap: 0.4rem; }
.sb-inspector .inspector-head .actions button { font: 12px ui-monospace, monospace; padding: 0.2rem 0.5rem; border: 1px solid #334155; border-radius: 5px; background: #0f172a; color: #e5e7eb; }
.sb-inspector .inspector-head .close { margin-left: 0; }
.sb-inspector .session-banner { padding: 0.4rem 0.6rem; border-radius: 6px; background: #1e3a8a; color: #dbeafe; }
.sb-inspector .load-status:empty { display: none; }
.sb-inspector .load-status { color: #fca5a5; }
.sb-inspector .pill.malformed { background: #7f1d1d; color: #fecaca; }
.sb-inspector .inspector-section h4 { margin: 0.4rem 0 0.2rem; font-size: 0.7rem; color: #8b95a7; }
.sb-inspector .stores-timeline { max-height: 8rem; overflow: auto; font-size: 0.75rem; }
.sb-inspector .stores-as-of pre { white-space: pre-wrap; font-size: 0.75rem; }
.sb-inspector .store-name { background: none; border: 0; color: #8ab4ff; cursor: pointer; padding: 0; font: inherit; font-weight: 600; }
.sb-inspector .stores-list .payload { font-family: ui-monospace, monospace; color: #cbd5e1; }
.sb-inspector .muted { color: #8b95a7; }
.sb-inspector .inspector-head { display: flex; align-items: baseline; gap: 0.75rem; }
.sb-inspector .inspector-head h2 { margin: 0; font-size: 1.05rem; color: white; }
.sb-inspector .inspector-head .close { margin-left: auto; border: 0; background: transparent; color: #9ca3af; font-size: 1.3rem; line-height: 1; }
.sb-inspector .inspector-overview { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0.75rem; }
.sb-inspector .inspector-section { background: #111a2e; border: 1px solid #1f2a44; border-radius: 8px; padding: 0.5rem 0.75rem; min-width: 0; }
.sb-inspector .inspector-section:last-child { grid-column: 1 / -1; }
.sb-inspector .inspector-section h3 { margin: 0 0 0.35rem; font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.08em; color: #8b95a7; }
.sb-inspector .inspector-section ul { margin: 0; padding: 0; list-style: none; display: grid; gap: 0.25rem; }
.sb-inspector .pill { display: inline-block; margin: 0 0.3rem; padding: 0 0.45rem; border-radius: 999px; font-size: 11px; background: #1f2a44; color: #cbd5e1; }
.sb-inspector .tab-id { font-family: ui-monospace, monospace; color: #e5e7eb; }
.sb-inspector .tabs-list li.leader .tab-id { color: #fcd34d; }
.sb-inspector .leader-pill { background: #78350f !important; color: #fde68a !important; }
.sb-inspector .circuit-closed { background: #064e3b !important; color: #a7f3d0 !important; }
.sb-inspector .circuit-open { background: #7f1d1d !important; color: #fecaca !important; }
.sb-inspector .circuit-half_open { background: #78350f !important; color: #fde68a !important; }
.sb-inspector .saga-completed { background: #064e3b !important; color: #a7f3d0 !important; }
.sb-inspector .saga-failed,
.sb-inspector .saga-compensating { background: #7f1d1d !important; color: #fecaca !important; }
.sb-inspector .saga-running { background: #1e3a8a !important; color: #bfdbfe !important; }
.sb-inspector .saga-steps { display: flex; flex-wrap: wrap; gap: 0.6rem; margin: 0.1rem 0 0 0.1rem; }
.sb-inspector .saga-step.done { color: #6ee7b7; }
.sb-inspector .saga-step.compensated { color: #fcd34d; }
.sb-inspector .saga-step.compensation-failed { color: #fca5a5; }
.sb-inspector .saga-error { color: #fca5a5; font-size: 12px; }
.sb-inspector .inspector-tabs { display: flex; gap: 0.25rem; border-bottom: 1px solid #1f2a44; }
.sb-inspector .inspector-tabs button { padding: 0.35rem 0.8rem; border: 0; border-bottom: 2px solid transparent; background: transparent; color: #9ca3af; }
.sb-inspector .inspector-tabs button[aria-selected="true"] { color: white; border-bottom-color: #fcd34d; }
.sb-inspector .live-log,
.sb-inspector .history-browser { display: flex; flex-direction: column; gap: 0.5rem; min-height: 0; flex: 1 1 auto; overflow: auto; }
.sb-inspector .live-log[hidden],
.sb-inspector .history-browser[hidden] { display: none; }
.sb-inspector .toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
.sb-inspector .toolbar input,
.sb-inspector .toolbar select,
.sb-inspector .toolbar button { font: 12px ui-monospace, monospace; padding: 0.25rem 0.5rem; border: 1px solid #334155; border-radius: 5px; background: #0f172a; color: #e5e7eb; }
.sb-inspector .toolbar .filter { width: 14rem; }
.sb-inspector .toolbar .filter.invalid { border-color: #f87171; }
.sb-inspector .toolbar .limit { width: 5rem; }
.sb-inspector .toolbar label { display: inline-flex; align-items: center; gap: 0.25rem; }
.sb-inspector table.messages { width: 100%; border-collapse: collapse; font: 12px / 1.35 ui-monospace, monospace; table-layout: fixed; }
.sb-inspector table.messages th { text-align: left; color: #8b95a7; font-weight: 500; padding: 0.2rem 0.35rem; border-bottom: 1px solid #1f2a44; }
.sb-inspector table.messages td { padding: 0.2rem 0.35rem; border-bottom: 1px solid #162036; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.sb-inspector table.messages th:nth-child(1) { width: 7.5rem; }
.sb-inspector table.messages th:nth-child(2) { width: 13rem; }
.sb-inspector table.messages th:nth-child(3) { width: 5.5rem; }
.sb-inspector table.messages th:nth-child(4) { width: 4.5rem; }
.sb-inspector table.messages .source { color: #fcd34d; }
.sb-inspector table.messages .time { color: #8b95a7; }
.sb-inspector table.messages .payload { color: #cbd5e1; }
.sb-inspector table.messages .tab b { color: #fcd34d; font-weight: 500; }
.sb-inspector .row.domain-orders .topic { color: #a5b4fc; }
.sb-inspector .row.domain-inventory .topic { color: #5eead4; }
.sb-inspector .row.domain-saga .topic { color: #f9a8d4; }
.sb-inspector .row.domain-shell .topic { color: #9ca3af; }
.sb-inspector .row.domain-sys .topic { color: #fcd34d; }
.sb-inspector .denials-list .subject { color: #fca5a5; }
`;
