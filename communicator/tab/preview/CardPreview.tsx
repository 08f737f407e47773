import { useEffect, useRef } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { AdaptiveCardJson } from '@teamspro/templates';
import { AdaptiveCards } from './adaptive-cards.js';
import { previewHostConfigs, previewPalettes, type PreviewTheme } from './host-configs.js';

const buttonBase = {
  fontFamily: 'inherit',
  fontSize: '14px',
  fontWeight: 600,
  lineHeight: '20px',
  padding: '5px 12px',
  minHeight: '32px',
  borderRadius: '4px',
  cursor: 'pointer',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
} as const;

const useStyles = makeStyles({
  frame: {
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    overflow: 'hidden',
    minHeight: '120px',
    '& .ac-adaptiveCard': { borderRadius: tokens.borderRadiusLarge },
    '& img': { maxWidth: '100%' },
    '& p': { marginTop: 0, marginBottom: '8px' },
    '& p:last-child': { marginBottom: 0 },
    '& ul, & ol': { marginTop: 0, marginBottom: '8px', paddingLeft: '20px' },
    '& .ac-input': { fontFamily: 'inherit', fontSize: '14px', minHeight: '32px', boxSizing: 'border-box', borderRadius: '4px', padding: '4px 8px' },
    '& .ac-pushButton:focus-visible, & .ac-input:focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
  },
  light: {
    backgroundColor: previewPalettes.light.background,
    border: '1px solid #E0E0E0',
    '& .ac-pushButton': { ...buttonBase, color: '#242424', backgroundColor: '#FFFFFF', border: '1px solid #D1D1D1' },
    '& .ac-pushButton:hover': { backgroundColor: '#F5F5F5' },
    '& .ac-input': { color: '#242424', backgroundColor: '#FFFFFF', border: '1px solid #8A8A8A' },
    '& a': { color: '#4F52B2' },
  },
  dark: {
    backgroundColor: previewPalettes.dark.background,
    border: '1px solid #3D3D3D',
    colorScheme: 'dark',
    '& .ac-pushButton': { ...buttonBase, color: '#FFFFFF', backgroundColor: '#292929', border: '1px solid #666666' },
    '& .ac-pushButton:hover': { backgroundColor: '#3D3D3D' },
    '& .ac-input': { color: '#FFFFFF', backgroundColor: '#1F1F1F', border: '1px solid #8A8A8A' },
    '& a': { color: '#A6A7DC' },
  },
});

let instances = 0;

/** Gives the card's element ids (e.g. "feedback") a per-preview prefix, so two previews never share an id. */
function scopeIds(root: HTMLElement, prefix: string) {
  const renamed = new Map<string, string>();
  root.querySelectorAll<HTMLElement>('[id]').forEach((el) => {
    const next = `${prefix}${el.id}`;
    renamed.set(el.id, next);
    el.id = next;
  });
  for (const attr of ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'list']) {
    root.querySelectorAll<HTMLElement>(`[${attr}]`).forEach((el) => {
      const value = el.getAttribute(attr)!;
      el.setAttribute(attr, value.split(/\s+/).map((id) => renamed.get(id) ?? id).join(' '));
    });
  }
}

/**
 * Draws an Adaptive Card with the `adaptivecards` renderer (what Teams uses on the web) into a div React
 * leaves alone, in Teams' light or dark card colours. Link buttons open their URL; other actions are inert.
 * `decorative`: a visual duplicate (e.g. the dark copy of the same card) that screen readers and the Tab key skip.
 */
export function CardPreview({ card, theme, decorative, className, 'data-testid': testId }: {
  card?: AdaptiveCardJson;
  theme: PreviewTheme;
  decorative?: boolean;
  className?: string;
  'data-testid'?: string;
}) {
  const styles = useStyles();
  const host = useRef<HTMLDivElement>(null);
  const prefix = useRef(`cc-preview-${++instances}-`);

  useEffect(() => {
    const target = host.current;
    if (!target) return;
    if (!card) { target.replaceChildren(); return; }
    const adaptive = new AdaptiveCards.AdaptiveCard();
    adaptive.hostConfig = new AdaptiveCards.HostConfig(previewHostConfigs[theme]);
    adaptive.onExecuteAction = (action) => {
      if (action instanceof AdaptiveCards.OpenUrlAction && action.url) window.open(action.url, '_blank', 'noopener,noreferrer');
    };
    // the renderer's `lang` check is a /g regex whose lastIndex survives from the last card it parsed
    const langPattern = AdaptiveCards.CardElement.langProperty.regEx;
    if (langPattern) langPattern.lastIndex = 0;
    adaptive.parse(card);
    const rendered = adaptive.render();
    if (!rendered) { target.replaceChildren(); return; }
    rendered.removeAttribute('tabindex');
    scopeIds(rendered, prefix.current);
    target.replaceChildren(rendered);
  }, [card, theme]);

  return (
    <div
      ref={host}
      className={mergeClasses(styles.frame, styles[theme], className)}
      data-testid={testId}
      data-theme={theme}
      aria-hidden={decorative ? true : undefined}
      {...(decorative ? { inert: '' } : {})}
    />
  );
}
