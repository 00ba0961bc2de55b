#!/usr/bin/env bash
# Set everything up, then run the web application on the bundled examples: a data folder
# (web-examples/, or $VANTHU_DATA) with the examples' agency profile, one person of each role
# (their passwords in web-examples/mat-khau.txt, readable by you alone) and the records of
# records/ as drafts to review. http://127.0.0.1:8000/ (or $PORT); Ctrl+C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DATA=${VANTHU_DATA:-web-examples}
PORT=${PORT:-8000}
VANTHU=.venv/bin/vanthu
fresh=0
if [ ! -f "$DATA/web.db" ]; then
  fresh=1
  mkdir -p "$DATA"
  "$VANTHU" init "$DATA" --key sct --ten "SỞ CÔNG THƯƠNG" --viet-tat SCT --chu-quan "UBND TỈNH LẠNG SƠN" \
    --ten-goi "Sở Công Thương tỉnh Lạng Sơn" --dia-danh "Lạng Sơn" --ma-dinh-danh 000.00.00.H41 \
    --nguoi-ky "giam-doc=GIÁM ĐỐC/Hoàng Văn Bình" --nguoi-ky "pho-giam-doc=KT. GIÁM ĐỐC/PHÓ GIÁM ĐỐC/Nguyễn Văn An" \
    --don-vi van-phong=VP --noi-nhan "UBND tỉnh (b/c)" --luu VP \
    --dia-chi "Số 1 đường Hùng Vương, thành phố Lạng Sơn" --dien-thoai "0205 3812 345" >/dev/null
  umask 077
  : > "$DATA/mat-khau.txt"
  for person in chuyenvien:chuyen-vien lanhdao:lanh-dao vanthu:van-thu quantri:quan-tri; do
    name=${person%%:*}
    role=${person#*:}
    password=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(12))")
    VANTHU_PASSWORD=$password "$VANTHU" users add "$name" --role "$role" --data "$DATA" >/dev/null
    echo "$name ($role): $password" >> "$DATA/mat-khau.txt"
  done
  umask 022
fi
"$VANTHU" serve --data "$DATA" --port "$PORT" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
if [ "$fresh" = 1 ]; then
  token=$("$VANTHU" users token chuyenvien --data "$DATA")
  # the examples, sent as another system would send them: POST /api/records
  .venv/bin/python - "$PORT" "$token" records/*.yaml <<'PY'
import sys, time, urllib.request
port, token, files = sys.argv[1], sys.argv[2], sys.argv[3:]
for _attempt in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
        break
    except OSError:
        time.sleep(0.2)
for path in files:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/records", data=open(path, "rb").read(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/yaml"})
    with urllib.request.urlopen(request, timeout=300) as answer:
        print(f"{path}: {answer.read().decode()}")
PY
fi
echo "vanthu: http://127.0.0.1:$PORT/ — the people and their passwords: $DATA/mat-khau.txt"
wait $server
