// Host configs that draw cards the way Teams does in its light and dark themes (colours from the Teams
// client's card styles), each colour pair holding at least 4.5:1 contrast on its background.
type Pair = { default: string; subtle: string };
type Palette = { background: string; emphasis: string; good: string; attention: string; warning: string; accentBg: string; fg: Record<'default' | 'accent' | 'good' | 'warning' | 'attention' | 'dark' | 'light', Pair> };

const light: Palette = {
  background: '#FFFFFF',
  emphasis: '#F5F5F5',
  good: '#F1FAF1',
  attention: '#FDF3F4',
  warning: '#FFF9F5',
  accentBg: '#EBEBF5',
  fg: {
    default: { default: '#242424', subtle: '#616161' },
    accent: { default: '#4F52B2', subtle: '#444791' },
    good: { default: '#0E700E', subtle: '#0E700E' },
    warning: { default: '#8A3707', subtle: '#8A3707' },
    attention: { default: '#B10E1C', subtle: '#B10E1C' },
    dark: { default: '#242424', subtle: '#424242' },
    light: { default: '#FFFFFF', subtle: '#F5F5F5' },
  },
};

const dark: Palette = {
  background: '#292929',
  emphasis: '#1F1F1F',
  good: '#0D260D',
  attention: '#3F1011',
  warning: '#4A1E04',
  accentBg: '#2F2F4A',
  fg: {
    default: { default: '#FFFFFF', subtle: '#ADADAD' },
    accent: { default: '#A6A7DC', subtle: '#A6A7DC' },
    good: { default: '#54B054', subtle: '#54B054' },
    warning: { default: '#F9C6A0', subtle: '#F9C6A0' },
    attention: { default: '#F1707B', subtle: '#F1707B' },
    dark: { default: '#E0E0E0', subtle: '#C7C7C7' },
    light: { default: '#FFFFFF', subtle: '#D6D6D6' },
  },
};

function foregrounds(p: Palette) {
  return Object.fromEntries(Object.entries(p.fg).map(([name, pair]) => [name, { default: pair.default, subtle: pair.subtle }]));
}

function hostConfigJson(p: Palette) {
  const fg = foregrounds(p);
  const style = (backgroundColor: string) => ({ backgroundColor, foregroundColors: fg });
  return {
    fontFamily: "'Segoe UI', system-ui, -apple-system, BlinkMacSystemFont, 'Helvetica Neue', sans-serif",
    supportsInteractivity: true,
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: p === light ? '#E0E0E0' : '#3D3D3D' },
    fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
    imageSizes: { small: 32, medium: 52, large: 100 },
    containerStyles: {
      default: style(p.background),
      emphasis: style(p.emphasis),
      accent: style(p.accentBg),
      good: style(p.good),
      attention: style(p.attention),
      warning: style(p.warning),
    },
    actions: { maxActions: 6, spacing: 'default', buttonSpacing: 8, showCard: { actionMode: 'inline', inlineTopMargin: 8 }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
    adaptiveCard: { allowCustomStyle: true },
    inputs: { label: { inputSpacing: 'small', requiredInputs: { suffix: ' *' }, optionalInputs: {} } },
  };
}

export type PreviewTheme = 'light' | 'dark';

export const previewPalettes: Record<PreviewTheme, Palette> = { light, dark };
export const previewHostConfigs: Record<PreviewTheme, ReturnType<typeof hostConfigJson>> = { light: hostConfigJson(light), dark: hostConfigJson(dark) };
