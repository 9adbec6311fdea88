// `npm run lint`: typescript-eslint's type-checked recommended rules (floating promises, unsafe
// any, misused promises…) over the sources, the tests, the examples and the scripts; generated
// and built files are left out.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "build/", "node_modules/", "src/generated/"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ["./tsconfig.build.json", "./tsconfig.test.json", "./tsconfig.examples.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      eqeqeq: "error",
      "no-console": "error",
      "@typescript-eslint/explicit-module-boundary-types": "off",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          checkThenables: true,
          // node:test's test() returns a promise the runner awaits itself.
          allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test"] }],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: "readonly", URL: "readonly" } },
  },
);
