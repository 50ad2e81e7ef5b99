export { bookmark, bookmarkMachine } from './bookmark.ts'
export { visit, visitMachine } from './visit.ts'
export { addDemoData, seedDemo, demoUsers } from './seed.ts'
