// A <select>'s string back as one of the contract's literal values, without a type assertion.
export const oneOf = <T extends string>(values: readonly T[], value: string, fallback: T): T => values.find((v) => v === value) ?? fallback;
