// Column sorting for plain tables: click a header to sort, click again to flip.
import { useMemo, useState } from 'react';

export function useSort<T, K extends string>(rows: T[], initial: K, get: (row: T, key: K) => string | number | null) {
  const [key, setKey] = useState<K>(initial);
  const [dir, setDir] = useState<1 | -1>(1);
  const sorted = useMemo(() => {
    return [...rows].sort((a, b) => {
      const x = get(a, key);
      const y = get(b, key);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }, [rows, key, dir, get]);
  const toggle = (k: K) => {
    if (k === key) setDir((d) => (d === 1 ? -1 : 1));
    else {
      setKey(k);
      setDir(1);
    }
  };
  const indicator = (k: K) => (k === key ? (dir === 1 ? ' ▲' : ' ▼') : '');
  const ariaSort = (k: K): 'ascending' | 'descending' | 'none' => (k === key ? (dir === 1 ? 'ascending' : 'descending') : 'none');
  return { sorted, toggle, indicator, ariaSort };
}
