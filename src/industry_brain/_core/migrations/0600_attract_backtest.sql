-- Backtests of the attraction targets: the parameters and the figures of each run, for the dashboard.
CREATE TABLE attract_backtest (
    run_id      INTEGER PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL,
    params      JSON NOT NULL,      -- as_of, horizon, units, level, presence, preset, weights, seed
    result      JSON NOT NULL       -- BacktestResult.to_dict(): panel, candidates, positives, metrics, roc, notes
);
