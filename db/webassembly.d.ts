/**
 * The part of the WebAssembly global that db/pglite-assets.ts uses. Node has it; the project's `lib` (ES2022, no
 * DOM) does not declare it.
 */
declare namespace WebAssembly {
  class Module {
    private constructor();
  }
  function compile(bytes: Uint8Array): Promise<Module>;
}
