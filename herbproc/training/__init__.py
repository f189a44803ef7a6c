"""What the training stages share (IELT's train, evaluate and predict, and phenology): distributed set-up,
checkpoints, safe points, the schedule and optimisers, seeded samplers, the store's datasets and views, and the
``Trainer`` loop. Importing this package root loads nothing heavy."""
