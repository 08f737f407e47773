import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  lead: { margin: 0, maxWidth: '70ch', fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400, color: tokens.colorNeutralForeground1 },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** A lead paragraph. */
export function Lead({ children }: { children: string }) {
  return <p className={useStyles().lead}>{children}</p>;
}

/** A plain bulleted list of sentences. */
export function BulletList({ items }: { items: readonly string[] }) {
  return <ul className={useStyles().list}>{items.map((item) => <li key={item}>{item}</li>)}</ul>;
}
