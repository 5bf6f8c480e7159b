// Light or dark: follows the OS unless the user picked one (kept in
// localStorage). Sets html[data-theme], which the design tokens key on.
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'opzenix.theme';

export function storedTheme(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' {
  if (choice === 'system') return prefersDark ? 'dark' : 'light';
  return choice;
}

const media = () => window.matchMedia('(prefers-color-scheme: dark)');

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  const theme = resolveTheme(choice, media().matches);
  document.documentElement.dataset.theme = theme;
  // Native controls (select lists, scrollbars) follow the theme too.
  document.documentElement.style.colorScheme = theme;
}

export function applyStoredTheme(): void {
  applyTheme(storedTheme());
  media().addEventListener('change', () => {
    if (storedTheme() === 'system') applyTheme('system');
  });
}
