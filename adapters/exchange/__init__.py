"""The 前置库 exchange database: the provincial credit system's abnormal-list decisions (经营异常名录), claimed in
batches by an (updated_at, id) watermark, with each row's result written back for the legacy party."""
