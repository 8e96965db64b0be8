// SPDX-License-Identifier: GPL-2.0
/* exec-target: what execload runs; static, so exec costs no loader. */
int main(void)
{
	return 0;
}
