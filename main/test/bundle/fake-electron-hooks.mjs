// Node module hooks: `electron` resolves to the stand-in next to this file.
const fake = new URL('./fake-electron-module.mjs', import.meta.url).href;
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: fake, shortCircuit: true };
  return next(specifier, context);
}
