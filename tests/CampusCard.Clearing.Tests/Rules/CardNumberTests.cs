using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Tests.Rules;

public class CardNumberTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(42_001, 3)]
    [InlineData(999_999_999, 99)]
    public void A_card_number_names_its_holder_and_issue(long holderId, int issue)
    {
        var text = new CardNumber(holderId, issue).ToString();

        Assert.Equal(CardNumber.Length, text.Length);
        Assert.True(CardNumber.TryParse(text, out var parsed));
        Assert.Equal(new CardNumber(holderId, issue), parsed);
    }

    [Fact]
    public void A_mistyped_digit_fails_the_check_digit()
    {
        var text = new CardNumber(12_345, 1).ToString();
        var typo = text[..4] + (char)('0' + (text[4] - '0' + 1) % 10) + text[5..];

        Assert.False(CardNumber.TryParse(typo, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("12345")]
    [InlineData("00000000000x")]
    [InlineData("000000000000")]
    public void Text_that_is_not_a_card_number_does_not_parse(string? text) => Assert.False(CardNumber.TryParse(text, out _));
}
