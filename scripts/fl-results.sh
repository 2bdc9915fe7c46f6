#!/usr/bin/env bash
# Re-runs the federated-learning measurements quoted in docs/FL-RESULTS.md (about 15 minutes on 2
# cores). Needs MNIST (scripts/fetch-mnist.sh). Each line: the arguments, then the final accuracy.
# FEDAI may point at another launcher, e.g. FEDAI="java -jar /tmp/fedai.jar".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fedai=${FEDAI:-$here/fedai}
out=${1:-$here/target/fl-results}
mkdir -p "$out"
runs=(
  "--clients 20 --rounds 30"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.2"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.2 --secure --aggregation multi_krum --plot $out/secure-multikrum-signflip20.png"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.2 --aggregation multi_krum"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.2 --aggregation median"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.2 --aggregation trimmed_mean"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.4 --aggregation multi_krum"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.4 --aggregation fltrust"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.4 --secure --aggregation multi_krum"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.4 --secure --aggregation fltrust"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.4 --secure --aggregation multi_krum --group-size 3"
  "--clients 20 --rounds 30 --attack labelflip --attackers 0.2 --secure --aggregation multi_krum"
  "--clients 20 --rounds 30 --attack scaling --attackers 0.2 --secure --aggregation multi_krum"
  "--clients 20 --rounds 30 --attack gaussian --attackers 0.2 --secure --aggregation multi_krum"
  "--clients 20 --rounds 30 --attack gaussian --attackers 0.2"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.2 --secure --aggregation multi_krum --dropouts 0.1"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.2 --secure --aggregation multi_krum --attackers-skip-clipping"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.2 --secure --aggregation fltrust --attackers-skip-clipping"
  "--clients 20 --rounds 30 --attack signflip --attackers 0.2 --secure"
  "--clients 20 --rounds 30 --noniid"
  "--clients 20 --rounds 30 --noniid --attack signflip --attackers 0.2"
  "--clients 20 --rounds 30 --noniid --attack signflip --attackers 0.2 --aggregation multi_krum"
  "--clients 20 --rounds 30 --noniid --attack signflip --attackers 0.2 --aggregation fltrust"
  "--clients 20 --rounds 30 --noniid --attack signflip --attackers 0.2 --secure --aggregation multi_krum"
  "--clients 20 --rounds 30 --noniid --attack signflip --attackers 0.2 --secure --aggregation fltrust"
  "--clients 10 --rounds 3 --model logreg"
  "--clients 10 --rounds 3 --model logreg --secure"
  "--clients 10 --rounds 3 --model logreg --privacy paillier"
)
for args in "${runs[@]}"; do
  name=$(echo "$args" | tr -c 'a-z0-9.' '_' | cut -c1-120)
  start=$(date +%s)
  # shellcheck disable=SC2086
  $fedai fl simulate $args > "$out/$name.txt" 2>&1 || echo "FAILED" >> "$out/$name.txt"
  echo "$args | $(grep -h '^final accuracy' "$out/$name.txt" || echo FAILED) | $(( $(date +%s) - start )) s"
done
