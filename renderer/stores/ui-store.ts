// UI-only state that survives reloads: theme and the selected cluster. Server data lives in
// react-query, never here.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type Theme = 'light' | 'dark';

interface UiState {
  theme: Theme;
  clusterId: string | null;
  setTheme(theme: Theme): void;
  setClusterId(id: string | null): void;
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      theme: window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
      clusterId: null,
      setTheme: (theme) => set({ theme }),
      setClusterId: (clusterId) => set({ clusterId }),
    }),
    { name: 'samsa.ui', version: 1 },
  ),
);
