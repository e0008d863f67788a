#!/usr/bin/env python3
"""Writes api/src/auth/common_passwords.txt: passwords people pick first, built from well-known patterns (popular
words and pinyin, keyboard walks, digit runs, names of the platform) with the usual decorations (a capital, a
year, 123, a symbol). Matching is case-insensitive, so every entry is lower case. Run from the repository root."""
import pathlib

WORDS = """password passw0rd p@ssword p@ssw0rd pass admin administrator root user guest test welcome
letmein iloveyou love monkey dragon master shadow sunshine princess football baseball superman batman
trustno1 hello freedom whatever qazwsx michael jordan computer internet secret abc abcd abcde abcdef
login changeme default system manager server oracle china beijing shanghai chengdu sichuan teacher
student school peixun jiaoshi xuexiao jiaoyu woaini aini wangluo zhangwei wangwei liwei
liuyang zhangjie wangjing lijing wangfang nihao laoshi xuesheng kaixin xingfu qwer asdf zxcv
""".split()

WALKS = """qwerty qwertyui qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm 1qaz2wsx 1q2w3e4r 1q2w3e 1qazxsw2
qazwsxedc zaq12wsx q1w2e3r4 a1b2c3 aa123456 abc123 abcd1234 1234qwer qwer1234 asdf1234 zxcv1234
""".split()

DIGITS = """123456 1234567 12345678 123456789 1234567890 0123456789 987654321 654321 111111 11111111
000000 00000000 888888 88888888 666666 66666666 123123 112233 121212 520520 5201314 1314520 147258369
159357 123321 789456 147258 1qaz 2wsx
""".split()

SUFFIXES = ["", "1", "12", "123", "1234", "123456", "!", "@", "#", "1!", "123!", "@123", "#123", "!@#",
            "888", "666", "520", "1314"]
YEARS = [str(y) for y in range(2010, 2031)]

def entries():
    for word in WORDS + WALKS:
        for suffix in SUFFIXES:
            yield word + suffix
        for year in YEARS:
            yield word + year
            yield word + year + "!"
            yield word + "@" + year
            yield word + "#" + year
        yield "@" + word
        yield word + word
    for digits in DIGITS:
        yield digits
        for decor in ["a", "aa", "abc", "!", "@", "#", "qq", "q", "a!", "aa!", "qwe"]:
            yield digits + decor
            yield decor + digits

def main():
    out = pathlib.Path("api/src/auth/common_passwords.txt")
    unique = sorted({e.lower() for e in entries() if len(e) >= 6})
    out.write_text("\n".join(unique) + "\n", encoding="utf-8")
    print(f"{len(unique)} entries written to {out}")

if __name__ == "__main__":
    main()
