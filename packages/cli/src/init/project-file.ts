/** One file of the new project: its path relative to the project folder and its text. */
export interface ProjectFile {
  readonly path: string;
  readonly text: string;
}
