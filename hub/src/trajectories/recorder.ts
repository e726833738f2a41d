// the recorder seam is shared by the planner and trajectories: defined in the core, re-exported here (PLANNER-INTERFACES.md)
export * from '../core/trajectory.ts';
