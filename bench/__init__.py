"""`make bench`: the save path measured from outside, as ratios against same-job baselines."""
