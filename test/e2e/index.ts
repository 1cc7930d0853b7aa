// Extension-host test entry (placeholder until the e2e suite lands).
export async function run(): Promise<void> {}
