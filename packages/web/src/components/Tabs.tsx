import type { KeyboardEvent } from 'react';

export interface TabItem<Id extends string> {
  id: Id;
  title: string;
}

interface TabsProps<Id extends string> {
  label: string;
  /** Prefix of the ids: tab `${idBase}-tab-${id}` controls panel `${idBase}-panel-${id}`. */
  idBase: string;
  tabs: readonly TabItem<Id>[];
  selected: Id;
  onSelect: (id: Id) => void;
}

/** A WAI-ARIA tablist: one tab in the Tab order, arrow keys move between tabs. */
export function Tabs<Id extends string>({ label, idBase, tabs, selected, onSelect }: TabsProps<Id>) {
  const onKeyDown = (event: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    const here = tabs.findIndex((tab) => tab.id === selected);
    let next: number | undefined;
    if (step !== undefined) next = (here + step + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    const tab = next === undefined ? undefined : tabs[next];
    if (!tab) return;
    event.preventDefault();
    onSelect(tab.id);
    document.getElementById(`${idBase}-tab-${tab.id}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={`${idBase}-tab-${tab.id}`}
          className="tabs__tab"
          aria-selected={tab.id === selected}
          // Only the shown panel exists: the others are not rendered, so their inputs never clash.
          aria-controls={tab.id === selected ? `${idBase}-panel-${tab.id}` : undefined}
          tabIndex={tab.id === selected ? 0 : -1}
          onClick={() => onSelect(tab.id)}
        >
          {tab.title}
        </button>
      ))}
    </div>
  );
}
