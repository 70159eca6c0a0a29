// The endpoints the coreaudio e2e harness (coreaudio-wine-harness.ts) starts the double with:
// ids as Windows spells them. Shared with the Linux-side specs (coreaudio-wine.ts).
export const HARNESS_ENDPOINTS = {
  speakers: { id: '{0.0.0.00000000}.{5a4b9d1c-0000-4000-8000-00000000e2e1}', name: 'Speakers (Double Audio)' },
  headphones: { id: '{0.0.0.00000000}.{5a4b9d1c-0000-4000-8000-00000000e2e2}', name: 'Headphones (Double Audio)' },
} as const;
