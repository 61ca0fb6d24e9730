// Filled in when the renderer lands: builds it once for the whole run.
export default async function setup(): Promise<void> {}
