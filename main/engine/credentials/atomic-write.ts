// Kept for the importers that have not moved to ../atomic-file.ts yet.
export { writeFileAtomic } from '../atomic-file.ts'
