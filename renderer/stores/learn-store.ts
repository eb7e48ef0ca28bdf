// The learn mode's UI state, kept across reloads: whether the Learn panel is open, the scenario
// it shows, and per scenario the steps already seen done (their checks passed on the cluster).
// A step done stays done: the cluster moves on (the killed node comes back) and the lesson stays.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

interface LearnState {
  open: boolean;
  scenarioId: string | null;
  /** scenario id → ids of its steps seen done, in the order they were */
  done: Record<string, string[]>;
  setOpen(open: boolean): void;
  select(scenarioId: string | null): void;
  markDone(scenarioId: string, stepId: string): void;
  clear(scenarioId: string): void;
}

export const useLearnStore = create<LearnState>()(
  persist(
    (set) => ({
      open: false,
      scenarioId: null,
      done: {},
      setOpen: (open) => set({ open }),
      select: (scenarioId) => set({ scenarioId }),
      markDone: (scenarioId, stepId) =>
        set((s) => (s.done[scenarioId]?.includes(stepId) ? s : { done: { ...s.done, [scenarioId]: [...(s.done[scenarioId] ?? []), stepId] } })),
      clear: (scenarioId) => set((s) => ({ done: { ...s.done, [scenarioId]: [] } })),
    }),
    { name: 'samsa.learn', version: 1 },
  ),
);
