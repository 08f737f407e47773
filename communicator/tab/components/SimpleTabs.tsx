import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  list: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXXS, minWidth: 0 },
  tab: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: 'none',
    borderBottom: `${tokens.strokeWidthThicker} solid transparent`,
    borderRadius: `${tokens.borderRadiusMedium} ${tokens.borderRadiusMedium} 0 0`,
    backgroundColor: 'transparent',
    color: tokens.colorNeutralForeground2,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover, color: tokens.colorNeutralForeground1 },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  selected: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold, borderBottomColor: tokens.colorCompoundBrandStroke },
});

export type SimpleTab<V extends string> = { value: V; label: ReactNode; testId?: string };

/**
 * An ARIA tab list (arrow keys, Home/End, one Tab stop) drawn like Fluent's TabList. Fluent's own keeps
 * focusable, aria-hidden "dummy" elements around it for its focus manager, which axe reports as serious.
 */
export function SimpleTabs<V extends string>({ tabs, selected, onSelect, label, idPrefix, className }: {
  tabs: Array<SimpleTab<V>>;
  selected: V;
  onSelect: (value: V) => void;
  label: string;
  /** tab i gets id `${idPrefix}-tab-${value}`; a panel can point back with aria-labelledby */
  idPrefix?: string;
  className?: string;
}) {
  const styles = useStyles();
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const index = Math.max(0, tabs.findIndex((t) => t.value === selected));
  const move = (i: number) => {
    const next = (i + tabs.length) % tabs.length;
    refs.current[next]?.focus();
    onSelect(tabs[next]!.value);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') { e.preventDefault(); move(index + 1); }
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') { e.preventDefault(); move(index - 1); }
    else if (e.key === 'Home') { e.preventDefault(); move(0); }
    else if (e.key === 'End') { e.preventDefault(); move(tabs.length - 1); }
  };
  return (
    <div role="tablist" aria-label={label} className={mergeClasses(styles.list, className)} onKeyDown={onKeyDown}>
      {tabs.map((tab, i) => {
        const isSelected = i === index;
        return (
          <button
            key={tab.value}
            ref={(el) => { refs.current[i] = el; }}
            type="button"
            role="tab"
            id={idPrefix ? `${idPrefix}-tab-${tab.value}` : undefined}
            aria-controls={idPrefix ? `${idPrefix}-panel` : undefined}
            aria-selected={isSelected}
            tabIndex={isSelected ? 0 : -1}
            className={mergeClasses(styles.tab, isSelected && styles.selected)}
            data-testid={tab.testId}
            onClick={() => onSelect(tab.value)}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}
