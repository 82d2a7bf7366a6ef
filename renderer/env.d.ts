// Svelte's ambient types: `*.svelte` modules and the runes ($state, $derived, …) in `.svelte.ts`.
/// <reference types="svelte" />
/// <reference types="vite/client" />
