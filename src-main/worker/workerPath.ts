// Where the built job worker lives. Only entry points import this (electron-vite resolves
// `?modulePath`); tests hand the JobManager the built file directly.
import workerPath from './worker?modulePath'

export default workerPath
