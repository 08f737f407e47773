import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  chip: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXXS,
    minWidth: 0,
    paddingLeft: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  text: { overflowWrap: 'anywhere' },
});

/**
 * Chosen values as chips, each with its own remove button. Drawn like Fluent's dismissible tags, but a
 * plain list: Fluent's TagGroup keeps focusable, aria-hidden "dummy" elements around it for its focus
 * manager, which axe reports as serious (as with SimpleTabs).
 */
export function ChipList({ label, items, removeLabel, onRemove, testId }: {
  label: string;
  items: Array<{ value: string; text: string }>;
  /** the remove button's accessible name for an item, e.g. "Remove Leadership" */
  removeLabel: (text: string) => string;
  onRemove: (value: string) => void;
  testId?: string;
}) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label={label} data-testid={testId}>
      {items.map((item) => (
        <li key={item.value} className={styles.chip}>
          <span className={styles.text}>{item.text}</span>
          <Button appearance="transparent" size="small" icon={<DismissRegular />} aria-label={removeLabel(item.text)} onClick={() => onRemove(item.value)} />
        </li>
      ))}
    </ul>
  );
}
