import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // An assertion to never/any, or on an object literal, switches the typed codec (and any
      // other typed contract) off: a typo in a request field would compile. Type the value.
      'no-restricted-syntax': [
        'error',
        { selector: 'TSAsExpression > TSNeverKeyword, TSTypeAssertion > TSNeverKeyword', message: 'No `as never`: type the value instead.' },
        { selector: 'TSAsExpression > TSAnyKeyword, TSTypeAssertion > TSAnyKeyword', message: 'No `as any`: type the value instead.' },
        {
          selector:
            "TSAsExpression:not([typeAnnotation.typeName.name='const']) > ObjectExpression.expression, TSTypeAssertion > ObjectExpression.expression",
          message: 'No type assertion on an object literal: annotate the variable or use `satisfies`, so excess and misspelt fields fail to compile.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
);
